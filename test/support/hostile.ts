/** Hostile operations shared by the limit, fuzz and abuse tests. */

/** The 650-byte document that took 20 s before: each fragment spreads the next one four times. */
export function fragmentBomb(levels = 12): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} ...F${i + 1} ...F${i + 1} }`,
  );
  return `query { ...F0 } ${fragments.join(" ")} fragment F${levels} on Query { statusSummary { seq } }`;
}

/** n aliases of one selection: `query { a0: sel a1: sel ... }`. */
export const aliasBomb = (n: number, selection: string) =>
  `query { ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(" ")} }`;

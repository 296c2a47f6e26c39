/**
 * `list.at(index)` for an item a test relies on: a missing one fails here, saying what was there,
 * instead of as a TypeError further on (or, worse, an assertion that passes on `undefined`).
 */
export function itemAt<T>(list: readonly T[], index: number): T {
  const item = list.at(index);
  if (item === undefined) {
    throw new Error(`expected an item at index ${index}, but the list has ${list.length}: ${preview(list)}`);
  }
  return item;
}

function preview(list: readonly unknown[]): string {
  const text = JSON.stringify(list) ?? String(list);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

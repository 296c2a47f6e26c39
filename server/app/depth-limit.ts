import { GraphQLError, Kind, type ValidationContext, type ValidationRule } from "graphql";
import { ErrorCode } from "../domain/vocabulary";

/** Deep enough for every real query (the war room's deepest is 6); shallow enough to stop abuse. */
export const MAX_DEPTH = 12;

/**
 * Refuses operations nested deeper than `max` fields (fragments followed), so one anonymous request
 * cannot ask for an exponential amount of work.
 */
export function depthLimit(max = MAX_DEPTH): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    type Node = { selectionSet?: { selections: readonly unknown[] } };
    const depthOf = (node: Node, depth: number, seen: Set<string>): number => {
      if (!node.selectionSet) return depth;
      let deepest = depth;
      for (const s of node.selectionSet.selections as { kind: Kind; name?: { value: string } }[]) {
        if (s.kind === Kind.FIELD) deepest = Math.max(deepest, depthOf(s as Node, depth + 1, seen));
        else if (s.kind === Kind.INLINE_FRAGMENT)
          deepest = Math.max(deepest, depthOf(s as Node, depth, seen));
        else if (s.kind === Kind.FRAGMENT_SPREAD && s.name && !seen.has(s.name.value)) {
          const f = fragments.get(s.name.value);
          if (f) deepest = Math.max(deepest, depthOf(f, depth, new Set([...seen, s.name.value])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(op) {
        const depth = depthOf(op, 0, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(
              `This operation is nested ${depth} levels deep; the limit is ${max}. Ask for less at once.`,
              { nodes: [op], extensions: { code: ErrorCode.BAD_USER_INPUT } },
            ),
          );
        }
      },
    };
  };
}

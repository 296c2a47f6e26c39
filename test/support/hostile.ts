/** Hostile operations shared by the limit, fuzz and abuse tests. */
import {
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from "graphql";
import { itemAt } from "./item-at";

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

/** A plausible value of an input type: required fields only, each the simplest of its kind. */
export function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return itemAt(type.getValues(), 0).value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = sampleValue(f.type);
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        return "00000000-0000-4000-8000-000000000000";
      case "Int":
        return 1;
      case "Float":
        return 1.5;
      case "Boolean":
        return false;
      case "DateTime":
        return "2030-01-01T00:00:00.000Z";
      case "JSON":
        return {};
      default:
        return "sample text";
    }
  }
  return null;
}

/** A call of one root field with its required arguments as variables; `__typename` as selection. */
export function callOf(
  schema: GraphQLSchema,
  operation: "query" | "mutation",
  field: string,
): { query: string; variables: Record<string, unknown> } {
  const root = operation === "query" ? schema.getQueryType() : schema.getMutationType();
  const f = root?.getFields()[field];
  if (!f) throw new Error(`the schema has no ${operation} field "${field}"`);
  const args = f.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const signature = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
  const call = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const selection = isObjectType(getNamedType(f.type)) ? " { __typename }" : "";
  const variables = Object.fromEntries(args.map((a) => [a.name, sampleValue(a.type)]));
  return {
    query: `${operation}${signature ? `(${signature})` : ""} { ${field}${call ? `(${call})` : ""}${selection} }`,
    variables,
  };
}

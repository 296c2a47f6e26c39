import { type ASTNode, type DocumentNode, GraphQLError, Kind, visit } from "graphql";
import { ErrorCode } from "../domain/vocabulary";

/**
 * Text PostgreSQL cannot store: a NUL character, or a UTF-16 surrogate without its pair (it has no
 * UTF-8 encoding). Such input used to reach SQL and come back as INTERNAL_SERVER_ERROR, logged with
 * the statement and its parameters; it is now refused up front as BAD_USER_INPUT naming the field.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (s: string) => !s.includes("\u0000") && !LONE_SURROGATE.test(s);

function refuse(field: string): GraphQLError {
  return new GraphQLError(
    `The text in "${field}" contains a NUL character or an unpaired surrogate, which cannot be stored. Remove it and try again.`,
    { extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } } },
  );
}

/** Where each variable is used, as `field.argument[.inputField]` (for naming it in the refusal). */
function variableUses(document: DocumentNode): Map<string, string> {
  const uses = new Map<string, string>();
  const path: string[] = [];
  const named = (node: ASTNode) =>
    node.kind === Kind.FIELD || node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD;
  visit(document, {
    enter(node) {
      if (node.kind === Kind.VARIABLE_DEFINITION) return false;
      if (named(node)) path.push((node as { name: { value: string } }).name.value);
      if (node.kind === Kind.VARIABLE && !uses.has(node.name.value))
        uses.set(node.name.value, path.slice(-3).join("."));
    },
    leave(node) {
      if (named(node)) path.pop();
    },
  });
  return uses;
}

/** The first unstorable text in the operation's literals or variables, as a refusal; null if none. */
export function unstorableTextError(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | null {
  let found: string | null = null;
  const path: string[] = [];
  visit(document, {
    enter(node) {
      if (found) return false;
      if (node.kind === Kind.FIELD || node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) {
        path.push(node.name.value);
      }
      if (node.kind === Kind.STRING && !isStorableText(node.value)) found = path.slice(-3).join(".");
    },
    leave(node) {
      if (node.kind === Kind.FIELD || node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD)
        path.pop();
    },
  });
  if (found) return refuse(found);
  if (!variables) return null;
  let uses: Map<string, string> | null = null;
  const walk = (value: unknown, where: string, depth: number): string | null => {
    if (depth > 64) return null;
    if (typeof value === "string") return isStorableText(value) ? null : where;
    if (Array.isArray(value)) {
      for (const v of value) {
        const bad = walk(v, where, depth + 1);
        if (bad) return bad;
      }
      return null;
    }
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (!isStorableText(k)) return `${where}.${k}`;
        const bad = walk(v, `${where}.${k}`, depth + 1);
        if (bad) return bad;
      }
    }
    return null;
  };
  for (const [name, value] of Object.entries(variables)) {
    const bad = walk(value, "", 0);
    if (bad !== null) {
      uses ??= variableUses(document);
      return refuse(`${uses.get(name) ?? `$${name}`}${bad}`);
    }
  }
  return null;
}

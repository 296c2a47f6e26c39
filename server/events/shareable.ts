// Which public subscriptions may share one execution per event, and the key that says two of them
// are interchangeable (the allow-list of fields that resolve from the event or public data alone).
import {
  type DocumentNode,
  type ExecutionArgs,
  getOperationAST,
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";

/**
 * Every field a shared subscription may select, by type. Each of these resolves from the event
 * alone (or from public data, like `uptime`): none reads the caller. A field that is not listed (a
 * new one, or `Service.history`, which is for signed-in users) makes the operation per-subscriber
 * again, so a forgotten entry costs speed, never privacy.
 */
export const SHAREABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Subscription: ["statusChanged"],
  StatusEvent: ["seq", "kind", "at", "service", "incident", "withdrawnIncidentId", "maintenance"],
  Service: [
    "id",
    "slug",
    "name",
    "description",
    "group",
    "position",
    "status",
    "version",
    "createdAt",
    "updatedAt",
    "uptime",
  ],
  UptimeDay: [
    "date",
    "downtimeMinutes",
    "hasData",
    "incidents",
    "uptimePercent",
    "worstStatus",
    "maintenanceMinutes",
    "maintenances",
  ],
  PublicIncident: [
    "id",
    "title",
    "status",
    "impact",
    "services",
    "updates",
    "startedAt",
    "resolvedAt",
    "postmortem",
    "nextUpdateBy",
  ],
  PublicUpdate: ["id", "status", "message", "at", "nextUpdateBy"],
  Maintenance: [
    "id",
    "title",
    "description",
    "state",
    "services",
    "scheduledStart",
    "scheduledEnd",
    "startedAt",
    "completedAt",
    "autoTransition",
    "updates",
    "version",
  ],
  MaintenanceUpdate: ["id", "state", "message", "at"],
};

const SHAREABLE = new Map(Object.entries(SHAREABLE_FIELDS).map(([t, fs]) => [t, new Set(fs)]));
/** The root field whose `since` argument only positions the source stream, never the result. */
const ROOT_FIELD = "statusChanged";

/**
 * What makes two subscriptions interchangeable, or null when they are not shareable: the printed
 * document, the operation name and the variables, except a variable used only as the root field's
 * `since` (it picks where the stream starts, it does not change any result).
 */
export function shareKeyOf(
  args: Pick<ExecutionArgs, "schema" | "document" | "operationName" | "variableValues">,
) {
  const shape = shapeOf(args.schema, args.document, args.operationName);
  if (!shape) return null;
  const variables: Record<string, unknown> = { ...(args.variableValues ?? {}) };
  if (shape.sinceVariable) delete variables[shape.sinceVariable];
  const key = `${shape.printed}\u0000${args.operationName ?? ""}\u0000${stableJson(variables)}`;
  const known = keys.get(key);
  if (known !== undefined) return known;
  if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
  keys.set(key, key);
  return key;
}

interface Shape {
  printed: string;
  sinceVariable: string | null;
}
const shapeCache = new WeakMap<object, Map<string, Shape | null>>();
/** Subscriptions with the same text share one document (operation-limits.ts): printed once. */
const printedDocuments = new WeakMap<DocumentNode, string>();
/** One copy of each share key, however many subscriptions hold it. */
const keys = new Map<string, string>();
const MAX_KEYS = 1024;

function shapeOf(
  schema: ExecutionArgs["schema"],
  document: DocumentNode,
  operationName: string | null | undefined,
): Shape | null {
  let printed = printedDocuments.get(document);
  if (printed === undefined) {
    printed = print(document);
    printedDocuments.set(document, printed);
  }
  let cache = shapeCache.get(schema);
  if (!cache) {
    cache = new Map();
    shapeCache.set(schema, cache);
  }
  const cacheKey = `${operationName ?? ""}\u0000${printed}`;
  if (cache.has(cacheKey)) return cache.get(cacheKey)!;
  const shape = analyse(schema, document, operationName, printed);
  cache.set(cacheKey, shape);
  if (cache.size > 512) cache.delete(cache.keys().next().value!);
  return shape;
}

/**
 * Shareable only if the operation is a subscription to `statusChanged` and every field anywhere in
 * the document (fragments included) is on the allow-list. Directives are only @include/@skip (the
 * document has been validated), whose arguments are variables and thus part of the key.
 */
function analyse(
  schema: ExecutionArgs["schema"],
  document: DocumentNode,
  operationName: string | null | undefined,
  printed: string,
): Shape | null {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== "subscription") return null;
  let shareable = true;
  let sinceVariable: string | null = null;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const name = node.name.value;
        if (name === "__typename") return;
        if (!parent || !SHAREABLE.get(parent.name)?.has(name)) {
          shareable = false;
          return;
        }
        if (parent.name === schema.getSubscriptionType()?.name && name === ROOT_FIELD) {
          const since = node.arguments?.find((a) => a.name.value === "since");
          if (since?.value.kind === Kind.VARIABLE) sinceVariable = since.value.name.value;
        }
      },
    }),
  );
  if (!shareable) return null;
  if (sinceVariable) {
    // Only drop it from the key if it feeds nothing but `since`.
    let uses = 0;
    visit(document, {
      VariableDefinition() {
        return false; // its $name is the declaration, not a use
      },
      Variable(node) {
        if (node.name.value === sinceVariable) uses++;
      },
    });
    if (uses !== 1) sinceVariable = null;
  }
  return { printed, sinceVariable };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

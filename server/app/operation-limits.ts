import type { ApolloServerPlugin } from "@apollo/server";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getNullableType,
  isListType,
  parse,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
  validate,
} from "graphql";
import { type ComplexityEstimatorArgs, getComplexity } from "graphql-query-complexity";
import { ErrorCode } from "../domain/vocabulary";
import type { BeaconContext } from "../kernel/context";
import { unstorableTextError } from "./input-text";

/**
 * Operation limits, identical on HTTP (Apollo) and WebSocket (graphql-ws). Every real operation of
 * the web app stays far below them (test/unit/operation-limits.test.ts checks that); they exist so
 * one anonymous request cannot buy an unbounded amount of work. See docs/security.md.
 *
 *  - tokens: graphql-js's own parser limit (what GraphQL Armor's max-tokens plugin re-implements);
 *  - depth, aliases, directives: GraphQL Armor's rules (fragment-aware; each fragment is measured
 *    once, so nested repeated spreads cost linear time, not 4^n);
 *  - cost: graphql-query-complexity with a size-aware estimator (list fields cost by their expected
 *    size, `uptime(days)` by its days). Armor's cost-limit only multiplies by literal `first`/`last`
 *    arguments and cannot see variables, so it cannot express "uptime costs by days". The cost walk
 *    is bounded by `maxQueryNodes`, so it is linear-time too, whatever the fragments.
 */
export const LIMITS = {
  tokens: 3000,
  depth: 12,
  aliases: 30,
  directives: 20,
  /** Armor's structural cost (fields, weighted by depth, fragments once each): a cheap first gate. */
  structure: 5_000,
  /** The size-aware cost (lists by size, uptime by days), computed with the variables. */
  cost: 50_000,
  /** Nodes the size-aware estimator may visit (fragments expanded); the structure gate keeps it small. */
  costNodes: 10_000,
} as const;

/** A list whose size the arguments do not tell is assumed this long. */
export const DEFAULT_LIST_SIZE = 20;

/** Lists whose length an argument sets (or whose real size is known to be small). */
const LIST_SIZE: Record<string, (args: Record<string, unknown>) => number> = {
  "Service.uptime": (args) => numberOr(args.days, 366),
  "Query.incidents": (args) => numberOr(args.first, 100),
  // The connection's edges were already counted by Query.incidents' `first`.
  "IncidentConnection.edges": () => 1,
  "Query.publicIncidents": (args) => numberOr(args.first, 100),
};

const numberOr = (v: unknown, fallback: number) =>
  typeof v === "number" && Number.isFinite(v) ? Math.max(1, v) : fallback;

export function limitError(limit: keyof typeof LIMITS, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, limit, http: { status: 400 } },
  });
}

/**
 * Each field costs 1 plus what it selects; a list multiplies what it selects by its size.
 * Introspection costs nothing (depth and tokens still bound it).
 */
export function sizeEstimator({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  if (field.name.startsWith("__") || type.name.startsWith("__")) return 0;
  const list = isListType(getNullableType(field.type));
  // A list of scalars is bounded by the object that holds it: it costs like one field.
  if (!list || childComplexity === 0) return 1 + childComplexity;
  const size = LIST_SIZE[`${type.name}.${field.name}`]?.(args) ?? DEFAULT_LIST_SIZE;
  return 1 + size * childComplexity;
}

type OnReject = ((context: ValidationContext | null, err: GraphQLError) => void)[];

/** Armor's rules report through this instead of throwing, so the refusal carries our code. */
function armorRule(limit: keyof typeof LIMITS, make: (onReject: OnReject) => ValidationRule): ValidationRule {
  return (context: ValidationContext) =>
    make([
      (_ctx, err) => {
        const raw = err.message.replace(/^Syntax Error: /, "");
        context.reportError(limitError(limit, `${raw} ${ADVICE[limit]}`));
      },
    ])(context);
}

/** The armor validation rules (depth, aliases, directives), refusing with BAD_USER_INPUT. */
export function armorRules(): ValidationRule[] {
  return [
    armorRule("structure", (onReject) =>
      costLimitRule({
        maxCost: LIMITS.structure,
        flattenFragments: true,
        depthCostFactor: 1,
        propagateOnRejection: false,
        onReject,
      }),
    ),
    armorRule("depth", (onReject) =>
      maxDepthRule({ n: LIMITS.depth, flattenFragments: true, propagateOnRejection: false, onReject }),
    ),
    armorRule("aliases", (onReject) =>
      maxAliasesRule({ n: LIMITS.aliases, propagateOnRejection: false, onReject }),
    ),
    armorRule("directives", (onReject) =>
      maxDirectivesRule({ n: LIMITS.directives, propagateOnRejection: false, onReject }),
    ),
  ];
}

const ADVICE: Record<keyof typeof LIMITS, string> = {
  tokens: "Send a shorter operation.",
  depth: "Ask for less nesting at once.",
  aliases: "Split the operation into several requests.",
  directives: "Use fewer directives.",
  structure: "Ask for fewer fields at once (fragments count each time they are spread).",
  cost: "Ask for fewer items (smaller first/days, fewer aliases) or split the operation.",
  costNodes: "Split the operation into several requests.",
};

export const VALIDATION_RULES: readonly ValidationRule[] = [...specifiedRules, ...armorRules()];

/** Parses with the token limit; a syntax error or an over-long document becomes a GraphQLError. */
export function parseOperation(source: string): DocumentNode {
  try {
    return parse(source, { maxTokens: LIMITS.tokens });
  } catch (e) {
    if (e instanceof GraphQLError && /contains more th\w+ \d+ tokens/.test(e.message)) {
      throw limitError(
        "tokens",
        `This operation has more than ${LIMITS.tokens} tokens, the limit. ${ADVICE.tokens}`,
      );
    }
    throw e;
  }
}

/**
 * The estimated cost of the operation that will run, with its variables; throws a BAD_USER_INPUT
 * refusal naming the limit when it is too expensive. Runs after validation.
 */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables: variables ?? {},
      estimators: [sizeEstimator],
      maxQueryNodes: LIMITS.costNodes,
    });
  } catch (e) {
    if (e instanceof GraphQLError && /maximum allowed number of nodes/.test(e.message)) {
      throw limitError(
        "costNodes",
        `This operation expands to more than ${LIMITS.costNodes} fields (fragments included), the limit. ${ADVICE.costNodes}`,
      );
    }
    // Variables that do not fit their types: execution reports that properly; cost it as free here.
    return 0;
  }
  if (cost > LIMITS.cost) {
    throw limitError(
      "cost",
      `This operation's estimated cost is ${Math.round(cost)}; the limit is ${LIMITS.cost}. ${ADVICE.cost}`,
    );
  }
  return cost;
}

/**
 * Parsed and validated documents by their text, per schema. Validation depends only on (schema,
 * document), and graphql-js never changes a document, so every subscription with the same text
 * shares one DocumentNode: ten thousand status pages subscribed with the same operation hold one
 * parsed copy (about 30 KB with its tokens and locations) instead of one each, and a reconnect
 * storm parses and validates it once. What depends on the variables (stored text, cost) is still
 * checked for every operation.
 */
const validBySchema = new WeakMap<GraphQLSchema, Map<string, DocumentNode>>();
const MAX_VALID_DOCUMENTS = 256;

function validDocuments(schema: GraphQLSchema): Map<string, DocumentNode> {
  let valid = validBySchema.get(schema);
  if (!valid) {
    valid = new Map();
    validBySchema.set(schema, valid);
  }
  return valid;
}

/** Parse + validate + cost for transports that do not do it themselves (graphql-ws). */
export function prepareOperation(
  schema: GraphQLSchema,
  source: unknown,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  if (typeof source !== "string" || source.length === 0) {
    return { errors: [badRequest("The operation must have a non-empty `query` string.")] };
  }
  let valid = validDocuments(schema);
  let document = valid.get(source);
  if (document) {
    // Most recently used last, so the bound drops the least recently used.
    valid.delete(source);
    valid.set(source, document);
  } else {
    try {
      document = parseOperation(source);
    } catch (e) {
      if (e instanceof GraphQLError) return { errors: [asParseError(e)] };
      throw e;
    }
    const errors = validate(schema, document, VALIDATION_RULES);
    if (errors.length > 0) return { errors: errors.map(asValidationError) };
    valid = validDocuments(schema);
    valid.set(source, document);
    if (valid.size > MAX_VALID_DOCUMENTS) valid.delete(valid.keys().next().value!);
  }
  const unstorable = unstorableTextError(document, variables);
  if (unstorable) return { errors: [unstorable] };
  try {
    checkCost(schema, document, operationName, variables);
  } catch (e) {
    if (e instanceof GraphQLError) return { errors: [e] };
    throw e;
  }
  return { document };
}

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });

/** Same codes Apollo gives over HTTP, so clients see one behaviour on both transports. */
function asParseError(e: GraphQLError): GraphQLError {
  if (e.extensions?.code) return e;
  return new GraphQLError(e.message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    extensions: { code: "GRAPHQL_PARSE_FAILED" },
  });
}

function asValidationError(e: GraphQLError): GraphQLError {
  if (e.extensions?.code) return e;
  return new GraphQLError(e.message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
  });
}

/**
 * Apollo's side: the cost check once the operation and its variables are known, and subscriptions
 * sent over HTTP refused with a pointer to the WebSocket endpoint (Apollo would fail them as internal).
 */
export function operationLimitsPlugin(schema: GraphQLSchema): ApolloServerPlugin<BeaconContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, operation, request }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError(
              "Subscriptions are served over WebSocket (graphql-ws, subprotocol graphql-transport-ws) at /graphql, not over HTTP POST.",
              { extensions: { code: "BAD_REQUEST", http: { status: 400 } } },
            );
          }
          const unstorable = unstorableTextError(document, request.variables);
          if (unstorable) throw unstorable;
          checkCost(schema, document, operationName, request.variables);
        },
      };
    },
  };
}

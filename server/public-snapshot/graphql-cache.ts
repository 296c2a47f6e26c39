import { createHash } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Kind, type OperationDefinitionNode, parse } from "graphql";
import stringify from "safe-stable-stringify";
import { type PreparedBody, Route, sendPrepared } from "./prepared-body";
import type { Produced, PublicSnapshot } from "./snapshot";

/**
 * Root fields whose anonymous answer is the same for every anonymous caller: the public
 * projection. An operation selecting only these (nested fields included) is answered from the
 * snapshot; anything else goes to Apollo as usual. Exactly the Query fields documented "(public)"
 * (test/unit/public-snapshot.test.ts keeps the two in step).
 */
export const PUBLIC_ROOT_FIELDS = new Set([
  "statusSummary",
  "services",
  "service",
  "publicIncidents",
  "publicIncident",
  "maintenances",
  "maintenance",
  "__typename",
]);

export interface GraphqlRequest {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/** Runs an operation as an anonymous caller through Apollo (limits, error mapping); the JSON body, or null on errors. */
/** `inBuild`: called by a snapshot build (not a first read), which may share reads among its bodies. */
export type AnonymousExecute = (request: GraphqlRequest, inBuild?: boolean) => Promise<string | null>;

const MAX_PERSISTED = 1000;

/** The cache key of a public operation: its text, operation name and variables (order-insensitive). */
export function graphqlKey(request: GraphqlRequest): string {
  return `graphql\n${request.operationName ?? ""}\n${stringify(request.variables ?? {})}\n${request.query}`;
}

/** Whether the document's operation reads only public root fields (and is a query). */
export function isPublicQuery(query: string, operationName: string | undefined): boolean {
  let doc: ReturnType<typeof parse>;
  try {
    doc = parse(query, { maxTokens: 2000 });
  } catch {
    return false;
  }
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = operationName
    ? ops.find((o) => o.name?.value === operationName)
    : ops.length === 1
      ? ops[0]
      : null;
  if (op?.operation !== "query") return false;
  return op.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && PUBLIC_ROOT_FIELDS.has(s.name.value),
  );
}

function jsonParam(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * Reads a GraphQL request's parameters (a POST body or a GET query) as the snapshot keys them,
 * with automatic persisted queries: sha256 -> document text, learned from requests that sent both
 * (verified), as APQ defines. One per instance, shared by the express handler and the pre-express
 * fast path (fast-path.ts), so a hash registered through either is known to both.
 */
export class PublicGraphqlRequests {
  private readonly persisted = new Map<string, string>();

  /** The request, or null when it is not one the snapshot could answer (unknown hash, no query, bad variables). */
  read(params: unknown): GraphqlRequest | null {
    if (!params || typeof params !== "object" || Array.isArray(params)) return null;
    const p = params as Record<string, unknown>;
    const variables = jsonParam(p.variables);
    const extensions = jsonParam(p.extensions) as
      | { persistedQuery?: { version?: number; sha256Hash?: unknown } }
      | undefined;
    const operationName = typeof p.operationName === "string" ? p.operationName : undefined;
    if (
      variables !== undefined &&
      variables !== null &&
      (typeof variables !== "object" || Array.isArray(variables))
    ) {
      return null;
    }
    const hash = extensions?.persistedQuery?.sha256Hash;
    let query = typeof p.query === "string" ? p.query : undefined;
    if (typeof hash === "string") {
      if (query === undefined) query = this.persisted.get(hash);
      else if (createHash("sha256").update(query).digest("hex") === hash && !this.persisted.has(hash)) {
        if (this.persisted.size >= MAX_PERSISTED)
          this.persisted.delete(this.persisted.keys().next().value as string);
        this.persisted.set(hash, query);
      }
    }
    // Unknown persisted query or no query: Apollo answers (PERSISTED_QUERY_NOT_FOUND, ...).
    if (query === undefined) return null;
    return {
      query,
      operationName,
      variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    };
  }
}

/**
 * Answers anonymous public GraphQL reads (POST, and GET with automatic persisted queries so a CDN
 * can cache them) from the snapshot, keyed by (document, variables) within the snapshot's
 * generation, i.e. its seq. Requests carrying credentials are never answered from here and are
 * marked `private, no-store` so no shared cache keeps them. Most reads never get here: the fast
 * path (fast-path.ts) answers those whose body the snapshot already holds; this one also learns
 * new keys (`fill`).
 */
export function publicGraphqlCache(
  snapshot: PublicSnapshot,
  requests: PublicGraphqlRequests,
  execute: AnonymousExecute,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization !== undefined) {
      res.setHeader("Cache-Control", "private, no-store");
      return next();
    }
    if (req.method !== "GET" && req.method !== "POST") return next();
    const params = req.method === "GET" ? req.query : req.body;
    const request = requests.read(params);
    if (request === null) return next();
    // A hash the snapshot learned (its text was served from here, so Apollo never saw it) goes on to
    // Apollo with its text, or Apollo answers PERSISTED_QUERY_NOT_FOUND to a hash this instance knows.
    const hashOnly = typeof (params as Record<string, unknown>).query !== "string";
    const onward = () => {
      if (hashOnly) withQueryText(req, request.query);
      next();
    };
    const key = graphqlKey(request);
    const serve = (body: PreparedBody) => sendPrepared(req, res, body, Route.GRAPHQL);
    const hit = snapshot.get(key);
    if (hit) return serve(hit);
    if (!isPublicQuery(request.query, request.operationName)) return onward();
    const produce = async (inBuild?: boolean): Promise<Produced> => {
      const json = await execute(request, inBuild);
      return json === null ? null : { content: json, type: "application/json; charset=utf-8" };
    };
    snapshot
      .fill(key, produce)
      .then((body) => (body ? serve(body) : onward()))
      // The database may be down: Apollo answers this one as it would without the snapshot.
      .catch(() => onward());
  };
}

/** Adds the document text to a request that carried only its persisted-query hash. */
function withQueryText(req: Request, text: string): void {
  if (req.method === "GET") {
    req.url += `${req.url.includes("?") ? "&" : "?"}query=${encodeURIComponent(text)}`;
  } else if (req.body && typeof req.body === "object") {
    (req.body as Record<string, unknown>).query = text;
  }
}

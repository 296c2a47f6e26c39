import { createHash } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Kind, type OperationDefinitionNode, parse } from "graphql";
import stringify from "safe-stable-stringify";
import { sendPrepared } from "./prepared-body";
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
export type AnonymousExecute = (request: GraphqlRequest) => Promise<string | null>;

export const PUBLIC_CACHE_CONTROL = "public, max-age=5, stale-while-revalidate=30";
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
 * Answers anonymous public GraphQL reads (POST, and GET with automatic persisted queries so a CDN
 * can cache them) from the snapshot, keyed by (document, variables) within the snapshot's
 * generation, i.e. its seq. Requests carrying credentials are never answered from here and are
 * marked `private, no-store` so no shared cache keeps them.
 */
export function publicGraphqlCache(snapshot: PublicSnapshot, execute: AnonymousExecute): RequestHandler {
  // sha256 -> document text, learned from requests that sent both (verified), as APQ defines.
  const persisted = new Map<string, string>();

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization !== undefined) {
      res.setHeader("Cache-Control", "private, no-store");
      return next();
    }
    if (req.method !== "GET" && req.method !== "POST") return next();
    const params = (req.method === "GET" ? req.query : req.body) as Record<string, unknown> | undefined;
    if (!params || typeof params !== "object" || Array.isArray(params)) return next();
    const variables = jsonParam(params.variables);
    const extensions = jsonParam(params.extensions) as
      | { persistedQuery?: { version?: number; sha256Hash?: unknown } }
      | undefined;
    const operationName = typeof params.operationName === "string" ? params.operationName : undefined;
    if (
      variables !== undefined &&
      variables !== null &&
      (typeof variables !== "object" || Array.isArray(variables))
    ) {
      return next();
    }
    const hash = extensions?.persistedQuery?.sha256Hash;
    let query = typeof params.query === "string" ? params.query : undefined;
    if (typeof hash === "string") {
      if (query === undefined) query = persisted.get(hash);
      else if (createHash("sha256").update(query).digest("hex") === hash && !persisted.has(hash)) {
        if (persisted.size >= MAX_PERSISTED) persisted.delete(persisted.keys().next().value as string);
        persisted.set(hash, query);
      }
    }
    // Unknown persisted query or no query: Apollo answers (PERSISTED_QUERY_NOT_FOUND, ...).
    if (query === undefined) return next();
    const request: GraphqlRequest = {
      query,
      operationName,
      variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    };
    const key = graphqlKey(request);
    const serve = (body: NonNullable<ReturnType<PublicSnapshot["get"]>>) =>
      sendPrepared(req, res, body, {
        cacheControl: PUBLIC_CACHE_CONTROL,
        vary: "Authorization, Accept-Encoding",
        headers: { "X-Beacon-Snapshot-Seq": snapshot.seq ?? "" },
      });
    const hit = snapshot.get(key);
    if (hit) return serve(hit);
    if (!isPublicQuery(query, operationName)) return next();
    const produce = async (): Promise<Produced> => {
      const json = await execute(request);
      return json === null ? null : { content: json, type: "application/json; charset=utf-8" };
    };
    snapshot
      .fill(key, produce)
      .then((body) => (body ? serve(body) : next()))
      // The database may be down: Apollo answers this one as it would without the snapshot.
      .catch(() => next());
  };
}

import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  type GraphQLError,
  type GraphQLFormattedError,
  getOperationAST,
  Kind,
  print,
  subscribe,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { WebSocket } from "ws";

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

/** How many executions of the public status stream happened, per event. Exposed for tests and ops. */
export class FanoutStats {
  /** Executions of `statusChanged` for one event (its resolver ran), whether shared or not. */
  executions = 0;
  /** Results that were executed once and serialized once for every subscriber of one shape. */
  sharedPayloads = 0;
  /** `next` frames written from a shared payload (one per subscriber per event). */
  sharedFrames = 0;
  private readonly bySeq = new Map<string, number>();
  private static readonly KEEP = 4096;

  /** Called by the statusChanged resolver, i.e. once per execution of the operation for an event. */
  executed(seq: string): void {
    this.executions++;
    const n = this.bySeq.get(seq);
    if (n === undefined) {
      this.bySeq.set(seq, 1);
      if (this.bySeq.size > FanoutStats.KEEP) this.bySeq.delete(this.bySeq.keys().next().value!);
    } else {
      this.bySeq.set(seq, n + 1);
    }
  }

  /** How many times the statusChanged operation was executed for the event with this seq. */
  executionsOf(seq: string): number {
    return this.bySeq.get(seq) ?? 0;
  }
}

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
  return `${shape.printed}\u0000${args.operationName ?? ""}\u0000${stableJson(variables)}`;
}

interface Shape {
  printed: string;
  sinceVariable: string | null;
}
const shapeCache = new WeakMap<object, Map<string, Shape | null>>();

function shapeOf(
  schema: ExecutionArgs["schema"],
  document: DocumentNode,
  operationName: string | null | undefined,
): Shape | null {
  const printed = print(document);
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

export interface SharedFanoutOptions {
  /** BEACON_SHARED_FANOUT: off means graphql's own `subscribe` for everything (the baseline). */
  enabled: boolean;
  stats: FanoutStats;
  /**
   * A fresh context for one shared execution: an anonymous caller's. A shared result therefore can
   * never hold more than an anonymous subscriber may see, even if the allow-list were wrong.
   */
  anonymousContext(): object;
  /** The same error mapping the per-subscriber path applies in graphql-ws's onNext. */
  formatErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[];
  /** Bounds of the per-event memo. */
  maxEntries?: number;
  ttlMs?: number;
}

interface Target {
  socket: WebSocket;
  id: string;
}

interface Entry {
  at: number;
  result: Promise<ExecutionResult>;
  /** The serialized `payload` of the `next` message, made on first use. */
  payload: Promise<Buffer> | null;
}

const DONE = { done: true, value: undefined } as const;
const TAIL = Buffer.from("}");

/**
 * Shared execution and serialization for public subscriptions (DESIGN.md, "Fan-out").
 *
 * Each subscriber keeps its own source stream from the EventHub (so `since` replay, ordering and the
 * slow-subscriber cutoff are untouched), but the execution of one event for one operation shape is
 * memoised: key = (printed document, operation name, variables without `since`, event seq). The
 * result is serialized once into the `next` message's payload, and each subscriber's frame is that
 * payload with its own message id in front, written straight to its socket.
 */
export class SharedFanout {
  private readonly memo = new Map<string, Entry>();
  private readonly targets = new WeakMap<object, Target>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(private readonly options: SharedFanoutOptions) {
    this.maxEntries = options.maxEntries ?? 2048;
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /**
   * Ties a subscription's context to its socket and message id (from graphql-ws's `context`
   * callback), so a shared payload can be framed for it without going through JSON.stringify again.
   */
  bind(contextValue: object, socket: WebSocket, id: string): void {
    if (this.options.enabled) this.targets.set(contextValue, { socket, id });
  }

  /** graphql-ws's `subscribe` option. */
  readonly subscribe = async (
    args: ExecutionArgs,
  ): Promise<AsyncGenerator<ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult> => {
    const key = this.options.enabled ? shareKeyOf(args) : null;
    if (key === null) return subscribe(args);
    // The subscriber's own source stream, created with its own context and arguments.
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in Object(source))) return source as ExecutionResult;
    const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const target = this.targets.get(args.contextValue as object);
    return target ? this.writeDirect(iterator, args, key, target) : this.yieldShared(iterator, args, key);
  };

  private entry(args: ExecutionArgs, key: string, event: unknown): Entry {
    const seq = (event as { seq?: unknown } | null)?.seq;
    const now = Date.now();
    // A replayed event is projected at delivery from the current public state (status-page/
    // replay-now.ts): its result depends on when, not only on its seq, so it is never memoised.
    const replayed = (event as { replayed?: unknown } | null)?.replayed === true;
    const memoKey = typeof seq === "string" && !replayed ? `${seq}\u0000${key}` : null;
    if (memoKey !== null) {
      const hit = this.memo.get(memoKey);
      if (hit && now - hit.at <= this.ttlMs) return hit;
    }
    const result = Promise.resolve().then(() =>
      execute({ ...args, contextValue: this.options.anonymousContext(), rootValue: event }),
    );
    const entry: Entry = { at: now, result, payload: null };
    if (memoKey !== null) {
      this.memo.delete(memoKey);
      this.memo.set(memoKey, entry);
      while (this.memo.size > this.maxEntries) this.memo.delete(this.memo.keys().next().value!);
      result.catch(() => this.memo.delete(memoKey));
    }
    return entry;
  }

  private payload(entry: Entry): Promise<Buffer> {
    entry.payload ??= entry.result.then((r) => {
      this.options.stats.sharedPayloads++;
      const { errors, ...rest } = r;
      const payload = errors ? { ...rest, errors: this.options.formatErrors(errors) } : rest;
      return Buffer.from(JSON.stringify(payload));
    });
    return entry.payload;
  }

  /** Frames are written here; graphql-ws only sees the stream end (complete) or fail (error). */
  private writeDirect(
    source: AsyncIterator<unknown>,
    args: ExecutionArgs,
    key: string,
    target: Target,
  ): AsyncGenerator<ExecutionResult> {
    const head = Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`);
    let closed = false;
    const close = async () => {
      closed = true;
      await source.return?.();
    };
    const generator: AsyncGenerator<ExecutionResult> = {
      next: async () => {
        try {
          while (true) {
            const step = await source.next();
            if (step.done || closed) return DONE;
            const payload = await this.payload(this.entry(args, key, step.value));
            // The client may have completed the subscription meanwhile: send nothing more for it.
            if (closed) return DONE;
            if (await send(target.socket, Buffer.concat([head, payload, TAIL]))) {
              this.options.stats.sharedFrames++;
            }
          }
        } catch (err) {
          await close().catch(() => {});
          throw err;
        }
      },
      return: async () => {
        await close();
        return DONE;
      },
      throw: async (err: unknown) => {
        await close();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return generator;
      },
    };
    return generator;
  }

  /** Shared execution only (graphql-ws serializes): for a context that was not bound to a socket. */
  private yieldShared(
    source: AsyncIterator<unknown>,
    args: ExecutionArgs,
    key: string,
  ): AsyncGenerator<ExecutionResult> {
    const generator: AsyncGenerator<ExecutionResult> = {
      next: async () => {
        const step = await source.next();
        if (step.done) return DONE;
        return { done: false, value: await this.entry(args, key, step.value).result };
      },
      return: async () => {
        await source.return?.();
        return DONE;
      },
      throw: async (err: unknown) => {
        await source.return?.();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return generator;
      },
    };
    return generator;
  }
}

/**
 * Like graphql-ws's ws adapter: resolves once the frame is handed to the socket (backpressure), and
 * skips a socket that is no longer open (graphql-ws then ends the subscription). A text frame.
 */
function send(socket: WebSocket, data: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    if (socket.readyState !== socket.OPEN) return resolve(false);
    socket.send(data, { binary: false }, (err) => (err ? reject(err) : resolve(true)));
  });
}

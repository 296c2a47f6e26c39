import "reflect-metadata";
import { type Client, createClient } from "graphql-ws";
import { inject } from "vitest";
import WebSocket from "ws";
import { type StartedBeacon, startBeacon } from "../../server/app/beacon";
import type { Clock } from "../../server/kernel/clock";
import { type BeaconConfig, loadConfig } from "../../server/kernel/config";
import { createLogger } from "../../server/kernel/log";
import { freshDatabase } from "./databases";

export interface GqlError {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
}
export interface GqlResult<T> {
  data?: T | null;
  errors?: GqlError[];
}

export const ADMIN = { email: "admin@test.local", password: "admin-password-1" };
/**
 * The password of every person `t.user()` creates (the password policy accepts it; e2e tests type
 * it into the login form).
 */
export const USER_PASSWORD = "velvet-harbor-compass";
export type Role = "ADMIN" | "INCIDENT_MANAGER" | "AGENT" | "RESPONDER";
/** A signed-in client for a user made by `TestBeacon.user`, with what a test needs to sign in again. */
export type Person = TestClient & { userId: string; email: string; name: string };

/**
 * Talks to a Beacon over real HTTP and real WebSockets.
 *
 * Public reads are answered from the instance's snapshot, which follows committed events
 * asynchronously (docs/performance.md). `settle` (set by startTestBeacon) runs before and after every
 * call and waits until this instance's snapshot has caught up with everything committed so far, so
 * tests written as "write, then read" stay deterministic, also when the write came from elsewhere (a
 * browser, a job) and the read from here. Tests of the snapshot itself use plain fetch.
 */
export class TestClient {
  constructor(
    public readonly url: string,
    public token: string | null = null,
    private readonly settle: () => Promise<void> = async () => {},
  ) {}

  get wsUrl(): string {
    return `${this.url.replace(/^http/, "ws")}/graphql`;
  }

  as(token: string | null): TestClient {
    return new TestClient(this.url, token, this.settle);
  }

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GqlResult<T>> {
    await this.settle();
    const res = await fetch(`${this.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await res.json()) as GqlResult<T>;
    await this.settle();
    return result;
  }

  /** The data, or a thrown error carrying the GraphQL errors. */
  async ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await this.gql<T>(query, variables);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  /** The first error of a call that must fail. */
  async fails(query: string, variables: Record<string, unknown> = {}): Promise<GqlError & { code: string }> {
    const r = await this.gql(query, variables);
    if (!r.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
    const e = r.errors[0];
    return { ...e!, code: String(e!.extensions?.code) };
  }

  subscribe<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): TestSubscription<T> {
    return new TestSubscription<T>(this.wsUrl, this.token, query, variables);
  }
}

/** A live subscription over graphql-ws; collects what arrives so tests can await it. */
export class TestSubscription<T> {
  readonly received: T[] = [];
  readonly errors: unknown[] = [];
  private readonly client: Client;
  private waiters: (() => void)[] = [];
  private unsubscribe: () => void;
  completed = false;

  constructor(wsUrl: string, token: string | null, query: string, variables: Record<string, unknown>) {
    this.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    });
    this.unsubscribe = this.client.subscribe<T>(
      { query, variables },
      {
        next: (v) => {
          if (v.errors) this.errors.push(v.errors);
          if (v.data) this.received.push(v.data as T);
          this.notify();
        },
        error: (e) => {
          this.errors.push(e);
          this.completed = true;
          this.notify();
        },
        complete: () => {
          this.completed = true;
          this.notify();
        },
      },
    );
  }

  private notify() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when at least n payloads arrived; rejects after timeoutMs with what did arrive. */
  async waitFor(n: number, timeoutMs = 10_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (this.completed) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    if (this.received.length < n) {
      throw new Error(
        `expected ${n} events, got ${this.received.length}: ${JSON.stringify(this.received)} errors: ${JSON.stringify(this.errors)}`,
      );
    }
    return this.received.slice(0, n);
  }

  /** Waits a moment and asserts nothing more arrived (for "exactly once" checks). */
  async settle(ms = 300): Promise<T[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.received;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.client.dispose();
  }
}

export interface TestBeacon {
  started: StartedBeacon;
  url: string;
  databaseUrl: string;
  anon: TestClient;
  admin: TestClient;
  /** Creates a user with that role (through the API) and returns a signed-in client for them. */
  user(role: Role, name?: string): Promise<Person>;
  stop(): Promise<void>;
}

let userCounter = 0;

export interface StartOptions {
  clock?: Clock;
  /** Reuse an existing database (restart tests, second instance); default: a fresh one. */
  databaseUrl?: string;
  env?: Record<string, string>;
}

/** Resolves once the instance dispatched every committed event and its public snapshot reflects them. */
export async function caughtUp(started: StartedBeacon): Promise<void> {
  await started.beacon.hub.drain();
  await started.server.publicSnapshot.settled();
}

/** A real Beacon (HTTP + WebSocket) on a free port, against its own fresh database. */
export async function startTestBeacon(opts: StartOptions = {}): Promise<TestBeacon> {
  let dropDb = async () => {};
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const db = await freshDatabase(inject("pgBaseUrl"));
    databaseUrl = db.url;
    dropDb = db.drop;
  }
  const config: BeaconConfig = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    BEACON_DEMO: "0",
    BEACON_WEB_DIR: "/nonexistent",
    ...opts.env,
  });
  const started = await startBeacon(config, createLogger(config.logLevel), opts.clock);
  const url = `http://127.0.0.1:${started.server.port}`;
  const anon = new TestClient(url, null, () => caughtUp(started));
  const login = async (email: string, password: string) => {
    const d = await anon.ok<{ login: { token: string } }>(
      "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
      { e: email, p: password },
    );
    return d.login.token;
  };
  const admin = anon.as(await login(ADMIN.email, ADMIN.password));
  return {
    started,
    url,
    databaseUrl,
    anon,
    admin,
    async user(role, givenName) {
      userCounter++;
      const email = `${role.toLowerCase()}${userCounter}-${Date.now()}@test.local`;
      const name = givenName ?? `${role} ${userCounter}`;
      const d = await admin.ok<{ createUser: { id: string } }>(
        "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
        { i: { email, name, password: USER_PASSWORD, role } },
      );
      return Object.assign(anon.as(await login(email, USER_PASSWORD)), {
        userId: d.createUser.id,
        email,
        name,
      });
    },
    async stop() {
      await started.stop();
      await dropDb();
    },
  };
}

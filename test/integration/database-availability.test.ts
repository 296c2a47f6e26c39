// What an instance knows about its database (server/kernel/database-availability.ts): down from
// the first "not answering" error it hears of (or its own heartbeat meets), refusing at once meanwhile, up again when its own probe
// (a fresh connection to the real PostgreSQL) or a readiness check gets an answer. A server that
// refuses connections stands in for one that is down; errors that are not about the database being
// away change nothing.
import net from "node:net";
import { afterEach, describe, expect, inject, it } from "vitest";
import { DatabaseAvailability } from "../../server/kernel/database-availability";
import { createLogger } from "../../server/kernel/log";

const log = createLogger("silent");
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
let open: DatabaseAvailability[] = [];

function availability(url: string): DatabaseAvailability {
  const a = new DatabaseAvailability({ url, timeoutMs: 1000, probeEveryMs: 50, log });
  open.push(a);
  return a;
}

/** A port nothing listens on: every probe is refused. */
async function deadUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `postgres://nobody:nothing@127.0.0.1:${port}/none`;
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
};

afterEach(async () => {
  await Promise.all(open.map((a) => a.stop()));
  open = [];
});

describe("database availability", () => {
  it("is up until an error says the database is not answering; then refuses at once with 503", async () => {
    const a = availability(await deadUrl());
    expect(a.down).toBe(false);
    expect(() => a.assertUp()).not.toThrow();
    a.report(new Error("duplicate key value violates unique constraint"));
    expect(a.down).toBe(false);
    a.report(refused);
    expect(a.down).toBe(true);
    let thrown: unknown;
    try {
      a.assertUp();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({
      message: expect.stringMatching(/database is not answering/),
      extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 5, http: { status: 503 } },
    });
  });

  it("stays down while its probes are refused, and is up at once when something else got an answer", async () => {
    const a = availability(await deadUrl());
    a.report(refused);
    await new Promise((r) => setTimeout(r, 300)); // several probes, all refused
    expect(a.down).toBe(true);
    a.answered();
    expect(a.down).toBe(false);
  });

  it("comes back up by its own probe once the database answers", async () => {
    const a = availability(inject("pgBaseUrl"));
    a.report(refused);
    expect(a.down).toBe(true);
    await until(() => !a.down);
    expect(a.down).toBe(false);
    // And can go down again (a second outage is noticed like the first).
    a.report(refused);
    expect(a.down).toBe(true);
    await until(() => !a.down);
    expect(a.down).toBe(false);
  });

  it("its heartbeat notices a hung server with no request at all, and keeps one that answers up", async () => {
    // A server that accepts connections and never says a word: a stopped (SIGSTOP) PostgreSQL.
    const sockets = new Set<net.Socket>();
    const hung = net.createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = hung.address() as net.AddressInfo;
      const beat = { heartbeatEveryMs: 50, heartbeatTimeoutMs: 300, probeEveryMs: 50, timeoutMs: 300, log };
      const silent = new DatabaseAvailability({ url: `postgres://x:y@127.0.0.1:${port}/z`, ...beat });
      const healthy = new DatabaseAvailability({ url: inject("pgBaseUrl"), ...beat });
      open.push(silent, healthy);
      expect(silent.down).toBe(false);
      await until(() => silent.down);
      expect(silent.down).toBe(true);
      expect(() => silent.assertUp()).toThrow(/database is not answering/);
      // Many heartbeats later, the real database is still up; after an outage it is watched again.
      await new Promise((r) => setTimeout(r, 600));
      expect(healthy.down).toBe(false);
      healthy.report(refused);
      await until(() => !healthy.down);
      await new Promise((r) => setTimeout(r, 300));
      expect(healthy.down).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it("its heartbeat notices a database that refuses connections", async () => {
    const a = new DatabaseAvailability({ url: await deadUrl(), timeoutMs: 300, heartbeatEveryMs: 50, log });
    open.push(a);
    await until(() => a.down);
    expect(a.down).toBe(true);
  });

  it("after stop, hears nothing more", async () => {
    const a = availability(await deadUrl());
    await a.stop();
    a.report(refused);
    expect(a.down).toBe(false);
  });
});

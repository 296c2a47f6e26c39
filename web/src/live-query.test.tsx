// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { graphql } from "./graphql";
import { type ConnectionState, GraphQLRequestError, type SubscriptionSink } from "./graphql-client";
import { compareSeq, type LiveTransport, liveQuery } from "./live-query";

// Any subscription of the schema does: the scripted transport below never sends it.
const SUBSCRIPTION = graphql(`
  subscription LiveQueryTest($since: String) { statusChanged(since: $since) { seq } }
`);

interface Event {
  seq: string;
  value: string;
}

/** A scripted transport: records every subscribe call and lets the test drive the connection. */
function fakeTransport() {
  const calls: { variables: Record<string, unknown>; sink: SubscriptionSink<unknown>; disposed: boolean }[] =
    [];
  let listener: ((s: ConnectionState) => void) | null = null;
  let state: ConnectionState = "live";
  const transport: LiveTransport = {
    subscribe(_doc, variables, sink) {
      const call = { variables, sink, disposed: false };
      calls.push(call);
      return () => {
        call.disposed = true;
      };
    },
    onConnectionState(l) {
      listener = l;
      l(state);
      return () => {
        listener = null;
      };
    },
  };
  return {
    transport,
    calls,
    setState(next: ConnectionState) {
      state = next;
      listener?.(next);
    },
    emit(event: Event) {
      const call = calls.at(-1);
      if (!call) throw new Error("nothing subscribed yet");
      call.sink.next({ changed: event });
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function start(fake: ReturnType<typeof fakeTransport>, seq = "10") {
  const states: string[][] = [];
  const handle = liveQuery<string[], Event>(
    {
      load: async () => ({ snapshot: ["snapshot"], seq }),
      subscription: SUBSCRIPTION,
      variables: { extra: 1 },
      eventOf: (data) => (data as { changed: Event }).changed,
      seqOf: (e) => e.seq,
      apply: (s, e) => [...s, e.value],
      onState: (s) => states.push(s),
    },
    fake.transport,
  );
  return { handle, states, last: () => states[states.length - 1] };
}

describe("liveQuery", () => {
  it("subscribes from the snapshot's seq and drops events already seen", async () => {
    const fake = fakeTransport();
    const { last } = start(fake);
    await tick();
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.variables).toEqual({ extra: 1, since: "10" });

    fake.emit({ seq: "9", value: "old" }); // before the snapshot
    fake.emit({ seq: "10", value: "same" }); // reflected by the snapshot
    fake.emit({ seq: "11", value: "a" });
    fake.emit({ seq: "11", value: "a-again" }); // duplicate
    fake.emit({ seq: "12", value: "b" });
    expect(last()).toEqual(["snapshot", "a", "b"]);
  });

  it("on reconnect disposes the old subscription and resubscribes with the last seq, without duplicates", async () => {
    const fake = fakeTransport();
    const { handle, last } = start(fake);
    await tick();
    fake.emit({ seq: "11", value: "a" });
    fake.emit({ seq: "12", value: "b" });

    fake.setState("reconnecting");
    expect(fake.calls[0]?.disposed).toBe(true);
    // a late message from the dead subscription is ignored
    fake.calls[0]?.sink.next({ changed: { seq: "13", value: "ghost" } });

    fake.setState("live");
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]?.variables).toEqual({ extra: 1, since: "12" });
    expect(handle.lastSeq()).toBe("12");

    // the server replays from the resume point; overlap is dropped
    fake.emit({ seq: "12", value: "b" });
    fake.emit({ seq: "13", value: "c" });
    expect(last()).toEqual(["snapshot", "a", "b", "c"]);

    handle.stop();
    expect(fake.calls[1]?.disposed).toBe(true);
  });

  it("waits for the connection before subscribing", async () => {
    const fake = fakeTransport();
    fake.setState("offline");
    start(fake, "5");
    await tick();
    expect(fake.calls).toHaveLength(0);
    fake.setState("live");
    expect(fake.calls[0]?.variables.since).toBe("5");
  });

  it("reloads the snapshot at once when the server says SNAPSHOT_REQUIRED, and resubscribes from its seq", async () => {
    const fake = fakeTransport();
    let seq = "10";
    let loads = 0;
    const states: string[][] = [];
    const errors: string[] = [];
    liveQuery<string[], Event>(
      {
        load: async () => ({ snapshot: [`snapshot-${++loads}`], seq }),
        subscription: SUBSCRIPTION,
        eventOf: (data) => (data as { changed: Event }).changed,
        seqOf: (e) => e.seq,
        apply: (s, e) => [...s, e.value],
        onState: (s) => states.push(s),
        onError: (e) => errors.push(e.code),
      },
      fake.transport,
    );
    await tick();
    expect(fake.calls[0]?.variables).toEqual({ since: "10" });
    seq = "5000";
    fake.calls[0]?.sink.error?.(
      new GraphQLRequestError([{ message: "too old", extensions: { code: "SNAPSHOT_REQUIRED" } }]),
    );
    await tick();
    expect(loads).toBe(2);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]?.variables).toEqual({ since: "5000" });
    expect(states.at(-1)).toEqual(["snapshot-2"]);
    expect(errors).toEqual([]); // nothing to show: the page just catches up
  });

  it("compares seqs numerically, whatever their length", () => {
    expect(compareSeq("9", "10")).toBeLessThan(0);
    expect(compareSeq("100", "99")).toBeGreaterThan(0);
    expect(compareSeq("12345678901234567890", "12345678901234567890")).toBe(0);
  });
});

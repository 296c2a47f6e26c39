import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "../../server/history/history.service";
import {
  entryHash,
  publicUpdateHash,
  REDACTED_PUBLIC_MESSAGE,
  textDigest,
  verifyPublicUpdateChain,
  verifyTimelineChain,
} from "../../server/timeline/chain";

type Entry = Parameters<typeof verifyTimelineChain>[0][number];
type Update = Parameters<typeof verifyPublicUpdateChain>[0][number];

function chain(bodies: (string | null)[]): Entry[] {
  const out: Entry[] = [];
  let prevHash = GENESIS_HASH;
  bodies.forEach((body, i) => {
    const e = {
      id: `e${i + 1}`,
      incidentId: "inc",
      seq: String(10 + i),
      kind: "NOTE",
      authorId: "u1",
      authorName: "Ann",
      at: new Date(Date.UTC(2026, 0, 1, 0, i)),
      data: { command: "addNote", n: i },
      body,
      bodyDigest: textDigest(body),
      prevHash,
    };
    const hash = entryHash(e);
    out.push({ ...e, hash });
    prevHash = hash;
  });
  return out;
}

/** Replaces item i of a chain in place, as tampering with that row would. */
function tamper<T>(list: T[], i: number, edit: (item: T) => T): void {
  const item = list[i];
  if (item === undefined) throw new Error(`the chain has no item ${i}; it has ${list.length}`);
  list[i] = edit(item);
}

function updates(messages: string[]): Update[] {
  const out: Update[] = [];
  let prevHash = GENESIS_HASH;
  messages.forEach((message, i) => {
    const u = {
      id: `u${i + 1}`,
      incidentId: "inc",
      position: i + 1,
      status: "INVESTIGATING",
      at: new Date(Date.UTC(2026, 0, 1, 0, i)),
      authorId: null,
      message,
      messageDigest: textDigest(message),
      prevHash,
    };
    const hash = publicUpdateHash(u);
    out.push({ ...u, hash });
    prevHash = hash;
  });
  return out;
}

const NONE = new Set<string>();

describe("timeline chain", () => {
  it("an untouched chain verifies, including entries without text", () => {
    expect(verifyTimelineChain(chain(["a", null, "c"]), NONE)).toEqual({
      ok: true,
      checked: 3,
      firstBrokenAt: null,
      message: "All 3 timeline entries verify.",
    });
    expect(verifyTimelineChain([], NONE).ok).toBe(true);
  });

  it.each([
    ["body", (e: Entry) => ({ ...e, body: "edited" })],
    ["kind", (e: Entry) => ({ ...e, kind: "STATE_CHANGE" })],
    ["author", (e: Entry) => ({ ...e, authorName: "Eve" })],
    ["time", (e: Entry) => ({ ...e, at: new Date(0) })],
    ["data", (e: Entry) => ({ ...e, data: { command: "addNote", n: 99 } })],
    ["seq", (e: Entry) => ({ ...e, seq: "999" })],
    ["digest", (e: Entry) => ({ ...e, bodyDigest: textDigest("x") })],
  ])("an edited %s is found at that entry", (_, edit) => {
    const c = chain(["a", "b", "c", "d"]);
    tamper(c, 2, edit);
    const v = verifyTimelineChain(c, NONE);
    expect(v).toMatchObject({ ok: false, checked: 3, firstBrokenAt: "e3" });
    expect(v.message).toMatch(/^Timeline entry e3 \(seq \d+\) /);
  });

  it("a deleted entry breaks the link of the next one", () => {
    const c = chain(["a", "b", "c"]);
    c.splice(1, 1);
    expect(verifyTimelineChain(c, NONE)).toMatchObject({ ok: false, firstBrokenAt: "e3" });
  });

  it("a redacted body still verifies only when a tombstone names it", () => {
    const c = chain(["a", "secret", "c"]);
    tamper(c, 1, (e) => ({ ...e, body: null }));
    expect(verifyTimelineChain(c, new Set(["e2"])).ok).toBe(true);
    expect(verifyTimelineChain(c, NONE)).toMatchObject({ ok: false, firstBrokenAt: "e2" });
    // A tombstone covers removal, not rewriting.
    tamper(c, 1, (e) => ({ ...e, body: "something else" }));
    expect(verifyTimelineChain(c, new Set(["e2"]))).toMatchObject({ ok: false, firstBrokenAt: "e2" });
  });
});

describe("public update chain", () => {
  it("verifies, and names an edited message, a gap and an unannounced removal", () => {
    expect(verifyPublicUpdateChain(updates(["a", "b"]), NONE)).toMatchObject({ ok: true, checked: 2 });
    const edited = updates(["a", "b", "c"]);
    tamper(edited, 1, (u) => ({ ...u, message: "we never said that" }));
    expect(verifyPublicUpdateChain(edited, NONE)).toMatchObject({ ok: false, firstBrokenAt: "u2" });
    const gap = updates(["a", "b", "c"]);
    gap.splice(1, 1);
    expect(verifyPublicUpdateChain(gap, NONE)).toMatchObject({ ok: false, firstBrokenAt: "u3" });
    const removed = updates(["a", "b"]);
    tamper(removed, 0, (u) => ({ ...u, message: REDACTED_PUBLIC_MESSAGE }));
    expect(verifyPublicUpdateChain(removed, NONE)).toMatchObject({ ok: false, firstBrokenAt: "u1" });
    expect(verifyPublicUpdateChain(removed, new Set(["u1"])).ok).toBe(true);
  });
});

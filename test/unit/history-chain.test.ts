import { describe, expect, it } from "vitest";
import type { ChangeRecord } from "../../server/history/change-record.entity";
import { canonicalJson, GENESIS_HASH, recordHash, verifyChain } from "../../server/history/history.service";
import { itemAt } from "../support/item-at";

function chain(n: number): ChangeRecord[] {
  const out: ChangeRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let v = 1; v <= n; v++) {
    const r = {
      id: `r${v}`,
      subjectType: "incident",
      subjectId: "00000000-0000-4000-8000-000000000001",
      version: v,
      authorId: null,
      authorName: "Ada",
      description: `change ${v}`,
      at: new Date(Date.UTC(2026, 0, v)),
      changes: { state: { from: `S${v - 1}`, to: `S${v}` } },
      prevHash,
    } as Omit<ChangeRecord, "hash">;
    const hash = recordHash(r);
    out.push({ ...r, hash } as ChangeRecord);
    prevHash = hash;
  }
  return out;
}

describe("change-record hash chain", () => {
  it("is independent of key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe(
      '{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}',
    );
  });

  it("verifies an intact chain", () => {
    expect(verifyChain(chain(5))).toEqual({
      ok: true,
      checked: 5,
      firstBrokenVersion: null,
      message: "All 5 change records verify.",
    });
  });

  it("names the first record whose content was changed", () => {
    const c = chain(5);
    c[2] = { ...itemAt(c, 2), description: "something else" };
    expect(verifyChain(c)).toMatchObject({ ok: false, firstBrokenVersion: 3 });
  });

  it("detects a removed record and a re-hashed forgery that breaks the link", () => {
    const c = chain(5);
    expect(verifyChain([itemAt(c, 0), itemAt(c, 2), itemAt(c, 3)])).toMatchObject({
      ok: false,
      firstBrokenVersion: 3,
    });
    const forged = { ...itemAt(c, 1), authorName: "Mallory" };
    forged.hash = recordHash(forged);
    expect(verifyChain([itemAt(c, 0), forged, ...c.slice(2)])).toMatchObject({
      ok: false,
      firstBrokenVersion: 3,
    });
  });
});

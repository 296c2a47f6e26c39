import fs from "node:fs";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../server/kernel/log";
import { PUBLIC_ROOT_FIELDS } from "../../server/public-snapshot/graphql-cache";
import { MAX_LEARNED, type Produced, PublicSnapshot } from "../../server/public-snapshot/snapshot";

const body = (content: string): Produced => ({ content, type: "text/plain" });

function setup() {
  let seq = 1;
  let fail: Error | null = null;
  let builds = 0;
  const warnings: string[] = [];
  const log = createLogger("silent");
  const snapshot = new PublicSnapshot(() => String(seq), {
    ...log,
    warn: (_obj: unknown, msg?: string) => warnings.push(String(msg)),
    info: () => {},
  } as unknown as typeof log);
  snapshot.register("page", async () => {
    builds++;
    if (fail) throw fail;
    return body(`page at ${seq}`);
  });
  const text = () => snapshot.get("page")?.identity.toString();
  return {
    snapshot,
    text,
    warnings,
    setSeq: (s: number) => {
      seq = s;
    },
    setFail: (e: Error | null) => {
      fail = e;
    },
    builds: () => builds,
  };
}

describe("PublicSnapshot", () => {
  it("rebuilds per seq; a failed rebuild keeps serving the previous one and says why once", async () => {
    const s = setup();
    await s.snapshot.start();
    expect(s.text()).toBe("page at 1");
    s.setSeq(2);
    s.setFail(new Error("database is not answering"));
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    expect(s.text()).toBe("page at 1");
    expect(s.snapshot.seq).toBe("1");
    expect(s.snapshot.lastError).toBe("database is not answering");
    expect(s.warnings).toHaveLength(1);
    s.setFail(null);
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    expect(s.text()).toBe("page at 2");
    expect(s.snapshot.lastError).toBeNull();
    await s.snapshot.stop();
  });

  it("coalesces a burst of seqs into at most one running and one queued build", async () => {
    const s = setup();
    await s.snapshot.start();
    const before = s.builds();
    for (let i = 2; i < 50; i++) {
      s.setSeq(i);
      s.snapshot.requestBuild();
    }
    await s.snapshot.settled();
    // One build running and one queued at most; with the builds' spacing (BUILD_SPACING_MS) a burst
    // right after a build is served by a single one. Either way the last one saw the last seq.
    const builds = s.builds() - before;
    expect(builds).toBeGreaterThanOrEqual(1);
    expect(builds).toBeLessThanOrEqual(2);
    expect(s.text()).toBe("page at 49");
    await s.snapshot.stop();
  });

  it("ETags carry the seq and the content; equal content at the same seq gives equal ETags", async () => {
    const s = setup();
    await s.snapshot.start();
    const first = s.snapshot.get("page")!.etag;
    expect(first).toMatch(/^"1-/);
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    expect(s.snapshot.get("page")!.etag).toBe(first);
    await s.snapshot.stop();
  });

  it("learns keys from reads once per generation, keeps only those read, and is bounded", async () => {
    const s = setup();
    await s.snapshot.start();
    let produced = 0;
    const produce = async () => {
      produced++;
      return body("learned");
    };
    const [a, b] = await Promise.all([s.snapshot.fill("q1", produce), s.snapshot.fill("q1", produce)]);
    expect(a).toBe(b);
    expect(produced).toBe(1);
    // Read during this generation: rebuilt with the next one.
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    expect(produced).toBe(2);
    expect(s.snapshot.get("q1")?.identity.toString()).toBe("learned");
    // Not read during that generation... (the get above counts as a read) then not read: forgotten.
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    expect(s.snapshot.get("q1")).toBeUndefined();
    for (let i = 0; i < MAX_LEARNED; i++) await s.snapshot.fill(`k${i}`, produce);
    expect(await s.snapshot.fill("one-too-many", produce)).toBeNull();
    await s.snapshot.stop();
  });

  it("never keeps a body produced for a generation that was replaced meanwhile", async () => {
    const s = setup();
    await s.snapshot.start();
    let release: () => void = () => {};
    const slow = s.snapshot.fill(
      "slow",
      () =>
        new Promise<Produced>((resolve) => {
          release = () => resolve(body("old"));
        }),
    );
    s.setSeq(5);
    s.snapshot.requestBuild();
    await s.snapshot.settled();
    release();
    await slow;
    expect(s.snapshot.get("slow")).toBeUndefined();
    await s.snapshot.stop();
  });
});

describe("public GraphQL reads answered from the snapshot", () => {
  it("are exactly the Query fields the schema documents as (public)", () => {
    const schema = buildSchema(fs.readFileSync("schema/schema.graphql", "utf8"));
    const documentedPublic = Object.values(schema.getQueryType()?.getFields() ?? {})
      .filter((f) => f.description?.startsWith("(public)"))
      .map((f) => f.name)
      .sort();
    expect([...PUBLIC_ROOT_FIELDS].filter((n) => n !== "__typename").sort()).toEqual(documentedPublic);
  });
});

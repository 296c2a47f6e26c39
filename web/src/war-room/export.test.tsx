import { describe, expect, it } from "vitest";
import { TimelineKind } from "../../../server/domain/vocabulary";
import { describeChanges, describeSentence } from "./change-words";
import { csvField, reviewCsv, reviewMarkdown, timelineCsv, timelineMarkdown, toCsv } from "./export";

const incident = { number: "INC-000042", title: "Checkout down" };
const entries = [
  {
    seq: "1",
    kind: TimelineKind.CREATED,
    authorName: "Maya",
    body: "Opened",
    at: "2026-12-01T10:00:00.000Z",
  },
  {
    seq: "2",
    kind: TimelineKind.NOTE,
    authorName: "Noah",
    body: 'Pool "exhausted", see\nline 2',
    at: "2026-12-01T10:05:00.000Z",
  },
  {
    seq: "3",
    kind: TimelineKind.NOTE,
    authorName: "Eve",
    body: '=HYPERLINK("http://x")',
    at: "2026-12-01T10:06:00.000Z",
  },
  {
    seq: "4",
    kind: TimelineKind.NOTE,
    authorName: "Noah",
    body: null,
    at: "2026-12-01T10:07:00.000Z",
    redaction: { authorName: "Maya", reason: "customer data" },
  },
];

describe("CSV (RFC 4180, formula-safe)", () => {
  it("quotes fields with commas, quotes and line breaks, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(7)).toBe("7");
  });

  it("prefixes cells that a spreadsheet would run as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"])
      expect(csvField(`${start}1+1`).replace(/^"/, "")).toMatch(/^'/);
    expect(csvField("=SUM(A1,A2)")).toBe(`"'=SUM(A1,A2)"`);
    expect(csvField("a=b")).toBe("a=b");
  });

  it("ends every record with CRLF", () => {
    expect(
      toCsv([
        ["a", "b"],
        ["c", "d"],
      ]),
    ).toBe("a,b\r\nc,d\r\n");
  });

  it("timeline CSV: header, one row per entry, redacted text replaced by the tombstone", () => {
    const csv = timelineCsv(entries);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("#,Time (UTC),Kind,Author,Entry");
    expect(lines[1]).toBe("1,2026-12-01T10:00:00.000Z,Opened,Maya,Opened");
    expect(csv).toContain('"Pool ""exhausted"", see\nline 2"');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain("[removed by Maya: customer data]");
  });
});

describe("Markdown", () => {
  it("timeline: a titled list, entries in words", () => {
    const md = timelineMarkdown(incident, entries);
    expect(md.startsWith("# INC-000042 Checkout down — timeline\n")).toBe(true);
    expect(md).toContain('- **2026-12-01T10:05:00.000Z** · Note · Noah: Pool "exhausted", see\n  line 2');
    expect(md).toContain("[removed by Maya: customer data]");
  });

  it("review: sections by label, action items as a checklist", () => {
    const md = reviewMarkdown(
      incident,
      {
        summary: "Checkout failed.",
        rootCause: "Pool size",
        lessons: "",
        completedAt: "2026-12-02T09:00:00Z",
        authorName: "Maya",
      },
      [
        { title: "Alert on pool", done: true, owner: { name: "Noah" }, dueAt: "2026-12-10T00:00:00Z" },
        { title: "Load test", done: false },
      ],
    );
    expect(md).toContain("_Completed 2026-12-02T09:00:00Z by Maya._");
    expect(md).toContain("## Summary\n\nCheckout failed.");
    expect(md).toContain("## Root cause\n\nPool size");
    expect(md).not.toContain("## Lessons learned");
    expect(md).toContain("- [x] Alert on pool (Noah, due 2026-12-10)");
    expect(md).toContain("- [ ] Load test");
  });

  it("review CSV: one row per section and per action item", () => {
    const csv = reviewCsv({ summary: "-1 orders" }, [{ title: "Fix", done: false }]);
    expect(csv).toBe("Section,Text,Done,Owner,Due\r\nSummary,'-1 orders,,,\r\nAction item,Fix,no,,\r\n");
  });
});

describe("change history in words", () => {
  const names = { services: [], queues: [], users: [], categories: [], problems: [] };
  it("a review as sections, never raw JSON", () => {
    const [change] = describeChanges(
      {
        changes: {
          review: { from: null, to: { summary: "It broke", rootCause: "Pool", noActionItems: true } },
        },
      },
      names,
    );
    expect(change?.label).toBe("Review");
    expect(change?.to).toBe("Summary: It broke\nRoot cause: Pool\nAction items: none needed");
    expect(change?.to).not.toContain("{");
  });

  it("other structured values as words, not JSON", () => {
    const [change] = describeChanges(
      { changes: { someThing: { from: null, to: { holdReason: "AWAITING_VENDOR" } } } },
      names,
    );
    expect(change?.to).toBe("Hold reason: Awaiting vendor");
  });

  it("sentences lose their enum codes", () => {
    expect(describeSentence("Put on hold (AWAITING_VENDOR)")).toBe("Put on hold (awaiting vendor)");
    expect(describeSentence("Resolved with WORKAROUND")).toBe("Resolved with workaround");
    expect(describeSentence("Posted public update (INVESTIGATING)")).toBe(
      "Posted public update (investigating)",
    );
    expect(describeSentence("Opened INC-000042 as P1")).toBe("Opened INC-000042 as P1");
  });
});

// The timeline and the review as files people take elsewhere (a postmortem doc, a spreadsheet).
// Pure: the room turns the strings into downloads.
import { humanize, TIMELINE_KIND_WORDS } from "../shared/words";
import type { ActionItem, Incident, ReviewDocument, TimelineEntry } from "./queries";
import { REVIEW_FIELDS } from "./review/review-values";

type Header = Pick<Incident, "number" | "title">;
type Entry = Pick<TimelineEntry, "seq" | "kind" | "authorName" | "body" | "at"> & {
  redaction?: Pick<NonNullable<TimelineEntry["redaction"]>, "authorName" | "reason"> | null;
};
type Review = Partial<Pick<ReviewDocument, (typeof REVIEW_FIELDS)[number]["name"]>> & {
  noActionItems?: boolean | null;
  completedAt?: string | null;
  authorName?: string | null;
};
type Item = Pick<ActionItem, "title" | "done"> & { dueAt?: string | null; owner?: { name: string } | null };

/**
 * One CSV field per RFC 4180 (quoted when it holds a comma, quote or line break; quotes doubled),
 * made safe for spreadsheets: a cell starting with = + - @ (or a tab / carriage return) would run as
 * a formula, so it gets a leading apostrophe (OWASP "CSV injection").
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text: CRLF line ends (RFC 4180), header row first. */
export function toCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}

function kindWord(kind: string): string {
  return (TIMELINE_KIND_WORDS as Record<string, string>)[kind] ?? humanize(kind);
}

function entryText(e: Entry): string {
  if (e.redaction) return `[removed by ${e.redaction.authorName}: ${e.redaction.reason}]`;
  return e.body ?? "";
}

export function timelineCsv(entries: readonly Entry[]): string {
  return toCsv([
    ["#", "Time (UTC)", "Kind", "Author", "Entry"],
    ...entries.map((e) => [e.seq, e.at, kindWord(e.kind), e.authorName, entryText(e)]),
  ]);
}

/** Keeps Markdown structure in a one-line list item: line breaks become indented continuation. */
function mdBlock(text: string): string {
  return text.replace(/\r?\n/g, "\n  ");
}

export function timelineMarkdown(incident: Header, entries: readonly Entry[]): string {
  const lines = [`# ${incident.number} ${incident.title} — timeline`, ""];
  if (entries.length === 0) lines.push("_Nothing documented yet._");
  for (const e of entries) {
    const text = entryText(e);
    lines.push(`- **${e.at}** · ${kindWord(e.kind)} · ${e.authorName}${text ? `: ${mdBlock(text)}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

function itemLine(i: Item): string {
  const due = i.dueAt ? `, due ${i.dueAt.slice(0, 10)}` : "";
  const owner = i.owner ? ` (${i.owner.name}${due})` : due ? ` (${due.slice(2)})` : "";
  return `${i.title}${owner}`;
}

export function reviewMarkdown(incident: Header, review: Review | null, items: readonly Item[]): string {
  const state = review?.completedAt
    ? `Completed ${review.completedAt}${review.authorName ? ` by ${review.authorName}` : ""}.`
    : "Draft.";
  const lines = [`# ${incident.number} ${incident.title} — post-incident review`, "", `_${state}_`];
  for (const f of REVIEW_FIELDS) {
    const text = review?.[f.name]?.trim();
    if (text) lines.push("", `## ${f.label}`, "", text);
  }
  lines.push("", "## Action items", "");
  if (items.length === 0) lines.push(review?.noActionItems ? "None needed." : "_None yet._");
  for (const i of items) lines.push(`- [${i.done ? "x" : " "}] ${itemLine(i)}`);
  return `${lines.join("\n")}\n`;
}

export function reviewCsv(review: Review | null, items: readonly Item[]): string {
  const rows: (string | boolean | null | undefined)[][] = [["Section", "Text", "Done", "Owner", "Due"]];
  for (const f of REVIEW_FIELDS) {
    const text = review?.[f.name]?.trim();
    if (text) rows.push([f.label, text, "", "", ""]);
  }
  for (const i of items)
    rows.push([
      "Action item",
      i.title,
      i.done ? "yes" : "no",
      i.owner?.name ?? "",
      i.dueAt?.slice(0, 10) ?? "",
    ]);
  return toCsv(rows);
}

/** A file name from the incident number: "INC-000042-timeline.csv". */
export function exportFileName(incident: Pick<Incident, "number">, what: string, ext: "md" | "csv"): string {
  return `${incident.number.replace(/[^A-Za-z0-9-]/g, "_")}-${what}.${ext}`;
}

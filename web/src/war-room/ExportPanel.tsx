import { exportFileName, reviewCsv, reviewMarkdown, timelineCsv, timelineMarkdown } from "./export";
import type { Incident, TimelineEntry } from "./queries";

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has handed the blob to the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The timeline and the review as Markdown (for a document) or CSV (for a spreadsheet). */
export function ExportPanel({ incident, timeline }: { incident: Incident; timeline: TimelineEntry[] }) {
  const review = incident.review ?? incident.reviewDraft ?? null;
  const files = [
    {
      id: "timeline-md",
      label: "Timeline (Markdown)",
      run: () =>
        download(
          exportFileName(incident, "timeline", "md"),
          timelineMarkdown(incident, timeline),
          "text/markdown",
        ),
    },
    {
      id: "timeline-csv",
      label: "Timeline (CSV)",
      run: () => download(exportFileName(incident, "timeline", "csv"), timelineCsv(timeline), "text/csv"),
    },
    {
      id: "review-md",
      label: "Review (Markdown)",
      run: () =>
        download(
          exportFileName(incident, "review", "md"),
          reviewMarkdown(incident, review, incident.actionItems),
          "text/markdown",
        ),
    },
    {
      id: "review-csv",
      label: "Review (CSV)",
      run: () =>
        download(
          exportFileName(incident, "review", "csv"),
          reviewCsv(review, incident.actionItems),
          "text/csv",
        ),
    },
  ];
  return (
    <section className="panel" aria-labelledby="export-title" data-testid="room-export">
      <h2 id="export-title" className="panel-title">
        Export
      </h2>
      <div className="room-export">
        {files.map((f) => (
          <button
            key={f.id}
            type="button"
            className="button button-small"
            data-testid={`export-${f.id}`}
            onClick={f.run}
          >
            {f.label}
          </button>
        ))}
      </div>
    </section>
  );
}

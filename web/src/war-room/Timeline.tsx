import { useEffect, useRef } from "react";
import { type ServiceStatus, TimelineKind } from "../../../server/domain/vocabulary";
import { Time } from "../shared/Time";
import { absoluteTime } from "../shared/time";
import {
  HOLD_REASON_WORDS,
  humanize,
  RESOLUTION_WORDS,
  SERVICE_STATUS_WORDS,
  STATE_WORDS,
  TIMELINE_KIND_WORDS,
} from "../shared/words";
import { type IncidentCommand, TRANSITIONS } from "./commands";
import type { TimelineEntry } from "./queries";

const KIND_WORDS = TIMELINE_KIND_WORDS;

function word(value: unknown): string {
  return typeof value === "string" ? humanize(value) : String(value);
}

function Details({ entry }: { entry: TimelineEntry }) {
  const d = entry.data ?? {};
  if (entry.kind === TimelineKind.STATE_CHANGE && d.from !== undefined && d.to !== undefined) {
    return (
      <p className="timeline-detail">
        {word(d.from)} → <strong>{word(d.to)}</strong>
      </p>
    );
  }
  // Lifecycle entries carry the command; say which state it led to, and why (hold reason, resolution).
  const command = typeof d.command === "string" ? (d.command as IncidentCommand) : null;
  const to = command && command in TRANSITIONS ? TRANSITIONS[command].to : null;
  if ((entry.kind === TimelineKind.STATE_CHANGE || entry.kind === TimelineKind.ASSIGNMENT) && to) {
    const why =
      typeof d.holdReason === "string"
        ? HOLD_REASON_WORDS[d.holdReason as keyof typeof HOLD_REASON_WORDS]
        : typeof d.resolutionCode === "string"
          ? RESOLUTION_WORDS[d.resolutionCode as keyof typeof RESOLUTION_WORDS]
          : null;
    return (
      <p className="timeline-detail" data-testid="timeline-state">
        → <strong>{STATE_WORDS[to]}</strong>
        {why ? ` · ${why}` : ""}
      </p>
    );
  }
  if (entry.kind === TimelineKind.CONTACT_ATTEMPT && d.method !== undefined) {
    return (
      <p className="timeline-detail">
        {word(d.method)} · <strong>{d.reached ? "Reached" : "Not reached"}</strong>
      </p>
    );
  }
  if (entry.kind === TimelineKind.REDACTION && d.redactedSeq !== undefined) {
    return (
      <p className="timeline-detail">
        Removed the text of entry #{String(d.redactedSeq)}
        {d.publicUpdateId ? " and of the public update it posted" : ""}
      </p>
    );
  }
  // The reminder's due time in the viewer's zone (its text names no clock time).
  if (entry.kind === TimelineKind.PUBLIC_UPDATE_DUE && typeof d.dueAt === "string") {
    return (
      <p className="timeline-detail" data-testid="timeline-public-update-due">
        Was due <strong>{absoluteTime(d.dueAt)}</strong>
      </p>
    );
  }
  if (entry.kind === TimelineKind.PUBLIC_UPDATE && d.status !== undefined) {
    return (
      <p className="timeline-detail">
        Posted as <strong>{word(d.status)}</strong>
      </p>
    );
  }
  return null;
}

/** What a lifecycle entry also did in public: the post it made, the services it moved. */
function PublicSide({ entry }: { entry: TimelineEntry }) {
  const d = entry.data ?? {};
  const post =
    entry.kind !== TimelineKind.PUBLIC_UPDATE ? (d.publicUpdate as PostedUpdate | undefined) : undefined;
  const moves = Array.isArray(d.serviceMoves) ? (d.serviceMoves as ServiceMove[]) : [];
  if (!post && moves.length === 0) return null;
  return (
    <>
      {post && typeof post.message === "string" && (
        <div className="timeline-public" data-testid="timeline-public-post">
          Posted on the status page as <strong>{word(post.status)}</strong>: “{post.message}”
        </div>
      )}
      {moves.length > 0 && (
        <p className="timeline-detail" data-testid="timeline-service-moves">
          {moves.map((m, i) => (
            <span key={m.serviceId}>
              {i > 0 && "; "}
              {m.name}: {SERVICE_STATUS_WORDS[m.from] ?? word(m.from)} →{" "}
              <strong>{SERVICE_STATUS_WORDS[m.to] ?? word(m.to)}</strong>
            </span>
          ))}
        </p>
      )}
    </>
  );
}

interface PostedUpdate {
  status: string;
  message: string;
}
interface ServiceMove {
  serviceId: string;
  name: string;
  from: ServiceStatus;
  to: ServiceStatus;
}

/** What stays of an entry whose text an admin removed: who, when and why. */
function Tombstone({ redaction }: { redaction: NonNullable<TimelineEntry["redaction"]> }) {
  return (
    <p className="timeline-redacted" data-testid="timeline-redacted">
      Text removed by {redaction.authorName} <Time iso={redaction.at} relativeOnly />. Reason:{" "}
      {redaction.reason}
    </p>
  );
}

/**
 * The room's timeline, oldest first; follows new entries while scrolled to the bottom. With
 * `onRedact` (admins), every entry that still has text offers "Redact".
 */
export function Timeline({
  entries,
  onRedact,
}: {
  entries: TimelineEntry[];
  onRedact?: (entry: TimelineEntry) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const el = list.current;
    if (el && stick.current && entries.length > 0) el.scrollTop = el.scrollHeight;
  }, [entries.length]);

  return (
    // The live region wraps the list: role="log" on the <ol> itself hid its items' list semantics.
    // Focusable, so keyboard users can scroll it.
    <div
      ref={list}
      className="timeline"
      data-testid="timeline"
      aria-label="Timeline"
      role="log"
      aria-live="polite"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      <ol className="timeline-list">
        {entries.length === 0 && <li className="muted">Nothing documented yet.</li>}
        {entries.map((entry) => (
          <li
            key={entry.id}
            className={`timeline-entry kind-${entry.kind.toLowerCase()}`}
            data-testid={`timeline-entry-${entry.id}`}
            data-kind={entry.kind}
          >
            <div className="timeline-meta">
              <span className="timeline-kind">{KIND_WORDS[entry.kind] ?? humanize(entry.kind)}</span>
              <span className="timeline-author">{entry.authorName}</span>
              <Time iso={entry.at} relativeOnly />
              {onRedact && entry.body && entry.kind !== TimelineKind.REDACTION && (
                <button
                  type="button"
                  className="button button-small timeline-redact"
                  data-testid="timeline-redact"
                  aria-label={`Redact entry #${entry.seq}`}
                  onClick={() => onRedact(entry)}
                >
                  Redact
                </button>
              )}
            </div>
            <Details entry={entry} />
            {entry.body &&
              (entry.kind === TimelineKind.REDACTION ? (
                <p className="timeline-body">Reason: {entry.body}</p>
              ) : (
                <p className="timeline-body">{entry.body}</p>
              ))}
            {entry.redaction && <Tombstone redaction={entry.redaction} />}
            <PublicSide entry={entry} />
          </li>
        ))}
      </ol>
    </div>
  );
}

import { useNow } from "./hooks";
import { absoluteTime, relativeTime } from "./time";

/** Relative time ("5 minutes ago") followed by the absolute time in the viewer's time zone. */
export function Time({ iso, relativeOnly = false }: { iso: string; relativeOnly?: boolean }) {
  const now = useNow();
  const absolute = absoluteTime(iso);
  return (
    // The server renders in its clock and zone; the browser corrects both right after hydrating.
    <time className="time" dateTime={iso} title={absolute} suppressHydrationWarning>
      <span className="time-relative" suppressHydrationWarning>
        {relativeTime(iso, now)}
      </span>
      {!relativeOnly && (
        <span className="time-absolute" suppressHydrationWarning>
          {" "}
          · {absolute}
        </span>
      )}
    </time>
  );
}

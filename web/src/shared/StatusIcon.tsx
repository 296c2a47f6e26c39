import type { Tone } from "./words";

/**
 * A small status glyph whose SHAPE differs per tone (check, dash, triangle, cross, wrench), so the
 * status is readable without colour. Decorative: the words next to it carry the meaning.
 */
export function StatusIcon({ tone, size = 16 }: { tone: Tone; size?: number }) {
  return (
    <svg
      className={`status-icon tone-${tone}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      {tone === "ok" && (
        <>
          <circle cx="8" cy="8" r="7.5" fill="currentColor" />
          <path
            d="M4.6 8.3l2.2 2.2 4.6-4.8"
            fill="none"
            stroke="#fff"
            strokeWidth="1.8"
            strokeLinecap="round"
          />
        </>
      )}
      {tone === "minor" && (
        <>
          <circle cx="8" cy="8" r="7.5" fill="currentColor" />
          <path d="M4.5 8h7" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
        </>
      )}
      {tone === "major" && (
        <>
          <path d="M8 .8l7.4 13.4H.6z" fill="currentColor" strokeLinejoin="round" />
          <path d="M8 5.5v4" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
          <circle cx="8" cy="11.9" r="1" fill="#fff" />
        </>
      )}
      {tone === "critical" && (
        <>
          <rect x=".5" y=".5" width="15" height="15" rx="3.5" fill="currentColor" />
          <path d="M5 5l6 6M11 5l-6 6" stroke="#fff" strokeWidth="1.9" strokeLinecap="round" />
        </>
      )}
      {tone === "maintenance" && (
        <>
          <circle cx="8" cy="8" r="7.5" fill="currentColor" />
          <path d="M8 4v4.2l2.6 1.6" fill="none" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" />
        </>
      )}
      {tone === "neutral" && (
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
      )}
    </svg>
  );
}

/** Icon + words, coloured by tone. */
export function StatusLabel({ tone, children }: { tone: Tone; children: string }) {
  return (
    <span className={`status-label tone-${tone}`}>
      <StatusIcon tone={tone} />
      <span>{children}</span>
    </span>
  );
}

import { allow, type Decision, ErrorCode, refuse } from "./vocabulary";

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const MAX_SLUG_LENGTH = 64;
/** Client clocks drift; an attempt logged "right now" from a slightly fast laptop is still fine. */
export const CLOCK_SKEW_MS = 60_000;

/**
 * A required free-text field, trimmed. Length counts code points, not UTF-16 units, so an emoji
 * costs one character as the user would expect.
 */
export function requireText(field: string, value: string | null | undefined, max = 10000): Decision<string> {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") return refuse(ErrorCode.BAD_USER_INPUT, `${field} must not be empty.`);
  const length = [...trimmed].length;
  if (length > max) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `${field} must be at most ${max} characters; it has ${length}. Shorten it or move details into a note.`,
    );
  }
  return allow(trimmed);
}

/**
 * A URL-safe name for a service or queue: "Payments API (EU)" -> "payments-api-eu". Accents are
 * folded to ASCII; a name with no letters or digits at all gives "" (which validateSlug refuses).
 */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, "");
}

/** 1-64 of a-z, 0-9 and "-", not starting or ending with "-" (it would look like a broken URL). */
export function validateSlug(slug: string): Decision<string> {
  if (typeof slug === "string" && slug.length <= MAX_SLUG_LENGTH && SLUG.test(slug)) return allow(slug);
  const suggestion = typeof slug === "string" ? slugify(slug) : "";
  return refuse(
    ErrorCode.BAD_USER_INPUT,
    `Slug "${slug}" is invalid: use 1-${MAX_SLUG_LENGTH} lowercase letters, digits and dashes, ` +
      `starting and ending with a letter or digit${suggestion === "" ? "" : ` (e.g. "${suggestion}")`}.`,
  );
}

/**
 * When a contact attempt happened. Attempts are evidence for closing, so they can neither be
 * backdated to before the incident existed nor logged ahead of time.
 */
export function validateContactAttemptTime(at: Date, incidentCreatedAt: Date, now: Date): Decision<Date> {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      "Contact attempt time is not a valid date; send an ISO 8601 timestamp.",
    );
  }
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `Contact attempt time ${at.toISOString()} is in the future (server time is ${now.toISOString()}); ` +
        "log an attempt after it has been made, or leave the time out to use now.",
    );
  }
  if (at.getTime() < incidentCreatedAt.getTime()) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `Contact attempt time ${at.toISOString()} is before the incident was opened ` +
        `(${incidentCreatedAt.toISOString()}); check the date, or log earlier contacts as a note.`,
    );
  }
  return allow(at);
}

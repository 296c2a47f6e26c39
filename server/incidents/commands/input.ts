import { requireText } from "../../domain/text";
import { orThrow } from "../../kernel/errors";

// Text limits (code points). Titles show in lists and on the status page; bodies are free prose.
export const MAX_TITLE = 200;
export const MAX_TEXT = 10_000;
export const MAX_REFERENCE = 200;
export const MAX_PUBLIC_MESSAGE = 5_000;

/** Required text, trimmed and within `max`; refuses naming the field. Checked before any transaction. */
export const text = (field: string, value: string | null | undefined, max = MAX_TEXT) =>
  orThrow(requireText(field, value, max), { field });

/** Optional text: null when absent or blank. */
export const optionalText = (field: string, value: string | null | undefined) =>
  value == null || value.trim() === "" ? null : text(field, value);

/** An optional title (the public title): null when absent or blank, else within MAX_TITLE. */
export const optionalTitle = (field: string, value: string | null | undefined) =>
  value == null || value.trim() === "" ? null : text(field, value, MAX_TITLE);

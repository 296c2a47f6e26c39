import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { badInput } from "../kernel/errors";

/**
 * Which passwords Beacon accepts wherever one is set (first admin, createUser, setUserPassword,
 * changePassword): at least 8 characters, at most 256, and not easy to guess. "Easy to guess" is
 * zxcvbn's estimate (zxcvbn-ts with its common-password, English-word and keyboard-pattern
 * dictionaries, plus the person's own email and name): a score below 3 (under ~10^8 guesses) is
 * refused. No composition rules (digits, symbols): following NIST SP 800-63B, length and "not on a
 * list of common or breached passwords" are what matter. docs/security.md, "Passwords".
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_SCORE = 3;
// zxcvbn's matching grows faster than linearly with length; beyond this the rest adds no doubt.
const ESTIMATED_PREFIX = 100;

let estimator: ZxcvbnFactory | null = null;
/** Built on first use: loading the dictionaries takes a few hundred milliseconds. */
const zxcvbn = () => {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
};

const ADVICE =
  "Choose a longer one that is not a common password and not based on your name or email; three or four unrelated words work well.";

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/** Why `password` is not acceptable (a sentence ending with what to do), or null when it is. */
export function passwordProblem(password: string, personal: readonly string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long. ${ADVICE}`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long; choose a shorter one.`;
  }
  // zxcvbn prices "first.last" as two cheap words plus a separator, which can still reach score 3:
  // what is left once the person's own name and email are taken out must be a password by itself.
  const squashed = squash(password);
  const own = personal
    .flatMap((s) => [squash(s), squash(s.split("@")[0] ?? "")])
    .filter((w) => w.length >= 4)
    .sort((a, b) => b.length - a.length);
  const rest = own.reduce((left, w) => left.split(w).join(""), squashed);
  if (rest.length < squashed.length && rest.length < MIN_PASSWORD_LENGTH) {
    return `This password is based on your name or email. ${ADVICE}`;
  }
  const inputs = personal.flatMap((s) => [s, ...s.split(/[^\p{L}\p{N}]+/u)]).filter((s) => s.length >= 3);
  const result = zxcvbn().check(password.slice(0, ESTIMATED_PREFIX), inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const warning = result.feedback.warning?.replace(/\.$/, "").toLowerCase();
  return `This password is too easy to guess${warning ? ` (${warning})` : ""}. ${ADVICE}`;
}

/** Throws BAD_USER_INPUT naming `field` when the password is not acceptable. */
export function requireAcceptablePassword(
  field: string,
  password: string,
  personal: readonly string[] = [],
): void {
  const problem = passwordProblem(password, personal);
  if (problem) throw badInput(field, `${field}: ${problem}`);
}

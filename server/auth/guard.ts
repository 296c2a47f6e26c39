import { type Action, type Actor, authorize, type IncidentAccess } from "../domain/permissions";
import { ApiScope, ErrorCode } from "../domain/vocabulary";
import type { BeaconContext, Principal } from "../kernel/context";
import { BeaconError, orThrow } from "../kernel/errors";
import { credentialProblem } from "./auth.service";

/** The resolver's guard: who is calling, and may their credential do this kind of thing at all? */
export function requirePrincipal(ctx: BeaconContext, scope: ApiScope = ApiScope.READ): Principal {
  const p = ctx.principal;
  if (!p) {
    throw new BeaconError(
      ErrorCode.UNAUTHENTICATED,
      ctx.authProblem ??
        "Sign in first: call login(email, password) and send the token as 'Authorization: Bearer <token>', or use an API key.",
    );
  }
  if (p.scopes && !p.scopes.includes(scope)) {
    throw new BeaconError(
      ErrorCode.FORBIDDEN,
      `This API key lacks the ${scope} scope; ask an admin for a key with scopes [${scope}].`,
    );
  }
  return p;
}

export const actorOf = (p: Principal): Actor => ({ id: p.user.id, role: p.user.role, queueIds: p.queueIds });

/** Guard + the permission table in one call: throws FORBIDDEN with the table's explanation. */
export function requirePermission(
  ctx: BeaconContext,
  action: Action,
  incident?: IncidentAccess,
  scope: ApiScope = ApiScope.WRITE,
): Principal {
  const p = requirePrincipal(ctx, scope);
  orThrow(authorize(actorOf(p), action, incident));
  return p;
}

/** How an actor is named in history and timelines. */
export const authorName = (p: Principal) => (p.via === "apiKey" ? `${p.user.name} (API key)` : p.user.name);

/** How often a live subscription re-checks its credential. */
export const CREDENTIAL_CHECK_MS = 15_000;

/**
 * Ends a private subscription with UNAUTHENTICATED once its credential stops being valid (session
 * expired or signed out, API key revoked, account deactivated), checked every CREDENTIAL_CHECK_MS.
 */
export function whileCredentialValid<T>(
  ctx: BeaconContext,
  source: AsyncIterableIterator<T>,
  checkEveryMs = CREDENTIAL_CHECK_MS,
): AsyncIterableIterator<T> {
  const principal = ctx.principal;
  if (!principal) return source;
  let fail: (e: Error) => void = () => {};
  const ended = new Promise<never>((_, reject) => {
    fail = reject;
  });
  ended.catch(() => {});
  const timer = setInterval(() => {
    credentialProblem(ctx.beacon, principal)
      .then((problem) => {
        if (problem) fail(new BeaconError(ErrorCode.UNAUTHENTICATED, problem));
      })
      .catch(() => {});
  }, checkEveryMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  const it: AsyncIterableIterator<T> = {
    next: async () => {
      try {
        return await Promise.race([source.next(), ended]);
      } catch (e) {
        stop();
        await source.return?.();
        throw e;
      }
    },
    return: async () => {
      stop();
      return (await source.return?.()) ?? { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

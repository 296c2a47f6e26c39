import type { EntityManager } from "typeorm";
import { needsTouch, sessionEndedMessage, sessionVerdict } from "../domain/session";
import { type ApiScope, ErrorCode, Role } from "../domain/vocabulary";
import type { Beacon, Principal } from "../kernel/context";
import { BeaconError, badInput, isUuid, notFound } from "../kernel/errors";
import { lockById } from "../kernel/lock";
import { queueIdsOf, queueIdsSql } from "../queues";
import { ApiKey } from "./api-key.entity";
import { passwordProblem, requireAcceptablePassword } from "./password-policy";
import {
  dummyPasswordHash,
  hashPassword,
  randomToken,
  safeEqualHex,
  sha256,
  verifyPassword,
} from "./secrets";
import { Session } from "./session.entity";
import { admitSignIn, forgetSignInFailures } from "./sign-in-throttle";
import { User } from "./user.entity";

const SESSION_PREFIX = "bt_";
const KEY_PREFIX = "bk_";
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$|^[^@\s]+@[^@\s]+\.local$/;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Resolves an Authorization header to a principal; `problem` says why a presented token was refused. */
export async function authenticate(
  beacon: Beacon,
  header: string | undefined | null,
): Promise<Authenticated> {
  if (!header) return { principal: null, problem: null };
  const token = /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1];
  if (!token) {
    return { principal: null, problem: "The Authorization header must be 'Bearer <token or API key>'." };
  }
  return token.startsWith(KEY_PREFIX)
    ? authenticateApiKey(beacon, token)
    : authenticateSession(beacon, token);
}

export interface Authenticated {
  principal: Principal | null;
  /** Why a presented credential was refused (private operations say so); null when none was presented. */
  problem: string | null;
}

async function authenticateApiKey(beacon: Beacon, token: string): Promise<Authenticated> {
  const m = beacon.db.manager;
  const [, prefix, secret] = /^bk_([A-Za-z0-9]+)_(\S+)$/.exec(token) ?? [];
  const key = prefix ? await m.findOne(ApiKey, { where: { prefix } }) : null;
  if (!key || !secret || !safeEqualHex(key.secretHash, sha256(secret)) || key.revokedAt) {
    return { principal: null, problem: "This API key is unknown or revoked; ask an admin for a new one." };
  }
  const user = await m.findOne(User, { where: { id: key.userId, active: true } });
  if (!user) return { principal: null, problem: "The user this API key acts for is deactivated." };
  // Fire-and-forget: last use is informative, not worth a write on the request's critical path.
  m.update(ApiKey, { id: key.id }, { lastUsedAt: beacon.clock.now() }).catch(() => {});
  return {
    principal: {
      user,
      via: "apiKey",
      scopes: key.scopes,
      queueIds: await queueIdsOf(m, user.id),
      sessionId: null,
      apiKeyId: key.id,
    },
    problem: null,
  };
}

const idleMsOf = (beacon: Beacon) => beacon.config.sessionIdleMinutes * 60_000;

/**
 * A session token (from the Authorization header or the browser's session cookie). Each use
 * counts as activity for the idle timeout; the stored last use moves at most once a minute.
 */
export async function authenticateSession(beacon: Beacon, token: string): Promise<Authenticated> {
  const m = beacon.db.manager;
  const now = beacon.clock.now();
  const found = token.startsWith(SESSION_PREFIX) ? await readSession(m, sha256(token)) : null;
  if (!found) {
    return {
      principal: null,
      problem:
        "Your session has expired or the token is not valid; sign in again with login(email, password).",
    };
  }
  const { session, user, queueIds } = found;
  const verdict = sessionVerdict(session, now, idleMsOf(beacon));
  if (verdict !== "active")
    return { principal: null, problem: sessionEndedMessage(verdict, idleMsOf(beacon)) };
  if (!user) return { principal: null, problem: "This account is deactivated." };
  if (needsTouch(session.lastUsedAt, now)) {
    await m.update(Session, { id: session.id }, { lastUsedAt: now });
  }
  return {
    principal: {
      user,
      via: "session",
      scopes: null,
      queueIds,
      sessionId: session.id,
      apiKeyId: null,
    },
    problem: null,
  };
}

/**
 * A session by its token hash, with its user (null when deactivated) and the user's queues, in one
 * query: every signed-in request starts here, and three reads (session, then user and queues) were
 * two round trips before any of the request's own work.
 */
async function readSession(
  m: EntityManager,
  tokenHash: string,
): Promise<{
  session: Pick<Session, "id" | "expiresAt" | "lastUsedAt" | "revokedAt">;
  user: User | null;
  queueIds: string[];
} | null> {
  const rows: {
    session_id: string;
    expires_at: Date;
    last_used_at: Date;
    revoked_at: Date | null;
    user_id: string | null;
    email: string;
    name: string;
    role: Role;
    password_hash: string;
    active: boolean;
    created_at: Date;
    queue_ids: string[];
  }[] = await m.query(
    `SELECT s.id AS session_id, s.expires_at, s.last_used_at, s.revoked_at,
            u.id AS user_id, u.email, u.name, u.role, u.password_hash, u.active, u.created_at,
            ${queueIdsSql("s.user_id")} AS queue_ids
       FROM session s LEFT JOIN app_user u ON u.id = s.user_id AND u.active
      WHERE s.token_hash = $1`,
    [tokenHash],
  );
  const [r] = rows;
  if (!r) return null;
  return {
    session: {
      id: r.session_id,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    },
    user:
      r.user_id === null
        ? null
        : m.create(User, {
            id: r.user_id,
            email: r.email,
            name: r.name,
            role: r.role,
            passwordHash: r.password_hash,
            active: r.active,
            createdAt: r.created_at,
          }),
    queueIds: r.queue_ids,
  };
}

/** `ip`: the caller's network address, for sign-in throttling (null: counted as "unknown"). */
export async function login(
  beacon: Beacon,
  email: string,
  password: string,
  ip: string | null = null,
): Promise<{ token: string; user: User; expiresAt: Date }> {
  const key = normalizeEmail(email);
  const now = beacon.clock.now();
  // Counted before the password is verified: concurrent guesses cannot outrun the limit.
  const admitted = await admitSignIn(beacon, key, ip ?? "unknown");
  const user = await beacon.db.manager.findOne(User, { where: { email: key, active: true } });
  // Verify against a dummy hash when the user is unknown, so neither message nor timing tells which part was wrong.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok) {
    throw new BeaconError(ErrorCode.UNAUTHENTICATED, "Email or password is incorrect.");
  }
  await admitted.succeeded();
  const token = `${SESSION_PREFIX}${randomToken()}`;
  const expiresAt = new Date(now.getTime() + beacon.config.sessionTtlHours * 3600_000);
  await beacon.db.manager.insert(Session, {
    tokenHash: sha256(token),
    userId: user.id,
    expiresAt,
    revokedAt: null,
    lastUsedAt: now,
  });
  return { token, user, expiresAt };
}

/** Signs a user out everywhere (except, optionally, the session making the change). */
async function revokeSessions(
  m: EntityManager,
  userId: string,
  now: Date,
  keepSessionId: string | null = null,
) {
  await m
    .createQueryBuilder()
    .update(Session)
    .set({ revokedAt: now })
    .where("user_id = :u AND revoked_at IS NULL AND id IS DISTINCT FROM :keep", {
      u: userId,
      keep: keepSessionId,
    })
    .execute();
}

/** Changes the caller's own password; every other session of theirs is signed out. */
export async function changePassword(
  beacon: Beacon,
  principal: Principal,
  currentPassword: string,
  newPassword: string,
): Promise<boolean> {
  if (principal.via !== "session") {
    throw new BeaconError(
      ErrorCode.FORBIDDEN,
      "Passwords are changed by signing in as the person, not with an API key.",
    );
  }
  if (!(await verifyPassword(principal.user.passwordHash, currentPassword))) {
    throw badInput("currentPassword", "The current password is not right; nothing was changed.");
  }
  requireAcceptablePassword("newPassword", newPassword, [principal.user.email, principal.user.name]);
  if (newPassword === currentPassword)
    throw badInput("newPassword", "Choose a password different from the current one.");
  const passwordHash = await hashPassword(newPassword);
  await beacon.db.transaction(async (m) => {
    await m.update(User, { id: principal.user.id }, { passwordHash });
    await revokeSessions(m, principal.user.id, beacon.clock.now(), principal.sessionId);
  });
  return true;
}

export async function setUserPassword(beacon: Beacon, id: string, password: string): Promise<boolean> {
  const user = isUuid(id) ? await beacon.db.manager.findOne(User, { where: { id } }) : null;
  if (!user) throw notFound("user", id);
  requireAcceptablePassword("password", password, [user.email, user.name]);
  const passwordHash = await hashPassword(password);
  await beacon.db.transaction(async (m) => {
    await m.update(User, { id }, { passwordHash });
    await revokeSessions(m, id, beacon.clock.now());
  });
  await forgetSignInFailures(beacon, user.email);
  return true;
}

export async function logout(beacon: Beacon, principal: Principal): Promise<boolean> {
  if (!principal.sessionId) return false;
  await beacon.db.manager.update(Session, { id: principal.sessionId }, { revokedAt: beacon.clock.now() });
  return true;
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: Role;
}

export async function createUser(
  beacon: Beacon,
  input: NewUser,
  m: EntityManager = beacon.db.manager,
): Promise<User> {
  const email = normalizeEmail(input.email);
  if (!EMAIL_RE.test(email)) throw badInput("email", `"${input.email}" is not an email address.`);
  const name = input.name.trim();
  if (!name) throw badInput("name", "name must not be empty.");
  requireAcceptablePassword("password", input.password, [email, name]);
  if (await m.findOne(User, { where: { email } })) {
    throw badInput("email", `A user with email ${email} already exists; pick another email.`);
  }
  const user = m.create(User, {
    email,
    name,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    active: true,
  });
  return m.save(user);
}

export interface UserChange {
  name?: string | null;
  role?: Role | null;
  active?: boolean | null;
}

/**
 * Renames, changes the role of, or (de)activates a user. Deactivating signs them out everywhere and
 * stops their API keys (authentication requires an active user). Beacon never lets the last active
 * admin lose admin rights, so it cannot lock itself out.
 */
export async function updateUser(
  beacon: Beacon,
  actor: Principal,
  id: string,
  change: UserChange,
): Promise<User> {
  return beacon.db.transaction(async (m) => {
    const user = await lockById(m, User, id, "user");
    const next = {
      name: change.name == null ? user.name : change.name.trim(),
      role: change.role ?? user.role,
      active: change.active ?? user.active,
    };
    if (!next.name) throw badInput("name", "name must not be empty.");
    const losesAdmin = user.role === Role.ADMIN && user.active && (next.role !== Role.ADMIN || !next.active);
    if (losesAdmin) {
      await m.query("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE");
      const admins = await m.count(User, { where: { role: Role.ADMIN, active: true } });
      if (admins <= 1) {
        throw new BeaconError(
          ErrorCode.REQUIREMENT_NOT_MET,
          `${user.name} is the last active admin; make someone else an admin first.`,
        );
      }
    }
    if (user.id === actor.user.id && !next.active) {
      throw badInput("active", "You cannot deactivate yourself; ask another admin.");
    }
    Object.assign(user, next);
    await m.save(user);
    if (!user.active) {
      await revokeSessions(m, user.id, beacon.clock.now());
    }
    return user;
  });
}

export function listUsers(beacon: Beacon, includeInactive = false): Promise<User[]> {
  return beacon.db.manager.find(User, {
    where: includeInactive ? {} : { active: true },
    order: { name: "ASC" },
  });
}

export async function createApiKey(
  beacon: Beacon,
  creator: Principal,
  input: { name: string; scopes: ApiScope[]; userId?: string | null },
): Promise<{ apiKey: ApiKey; secret: string }> {
  const name = input.name.trim();
  if (!name) throw badInput("name", "name must not be empty; name the partner system using this key.");
  if (input.scopes.length === 0)
    throw badInput("scopes", "Give the key at least one scope: READ and/or WRITE.");
  const userId = input.userId ?? creator.user.id;
  if (!isUuid(userId) || !(await beacon.db.manager.findOne(User, { where: { id: userId } }))) {
    throw notFound("user", userId);
  }
  const prefix =
    randomToken(9)
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, 10) || "k";
  const secret = randomToken();
  const apiKey = await beacon.db.manager.save(
    beacon.db.manager.create(ApiKey, {
      name,
      prefix,
      secretHash: sha256(secret),
      userId,
      scopes: [...new Set(input.scopes)],
      lastUsedAt: null,
      revokedAt: null,
    }),
  );
  return { apiKey, secret: `${KEY_PREFIX}${prefix}_${secret}` };
}

export async function revokeApiKey(beacon: Beacon, id: string): Promise<ApiKey> {
  const key = isUuid(id) ? await beacon.db.manager.findOne(ApiKey, { where: { id } }) : null;
  if (!key) throw notFound("API key", id);
  if (!key.revokedAt) {
    key.revokedAt = beacon.clock.now();
    await beacon.db.manager.save(key);
  }
  return key;
}

export function listApiKeys(beacon: Beacon): Promise<ApiKey[]> {
  return beacon.db.manager.find(ApiKey, { order: { createdAt: "DESC" } });
}

/** On an empty database, create the first admin. Returns the generated password if one was made. */
export async function ensureFirstAdmin(
  beacon: Beacon,
): Promise<{ email: string; generatedPassword: string | null } | null> {
  return beacon.db.transaction(async (m) => {
    await m.query("LOCK TABLE app_user IN EXCLUSIVE MODE");
    if ((await m.count(User)) > 0) return null;
    const email = beacon.config.adminEmail ?? "admin@beacon.local";
    const generatedPassword = beacon.config.adminPassword ? null : randomToken(12);
    const password = beacon.config.adminPassword ?? generatedPassword!;
    const problem = passwordProblem(password, [email, "Administrator"]);
    if (problem) throw new Error(`ADMIN_PASSWORD is not acceptable. ${problem}`);
    await createUser(beacon, { email, name: "Administrator", password, role: Role.ADMIN }, m);
    return { email, generatedPassword };
  });
}

/**
 * Is the credential behind a principal still good (not expired, revoked or deactivated)?
 * Long-lived subscriptions ask this periodically; a request is authenticated afresh anyway.
 */
export async function credentialProblem(beacon: Beacon, principal: Principal): Promise<string | null> {
  const m = beacon.db.manager;
  const now = beacon.clock.now();
  if (!(await m.exists(User, { where: { id: principal.user.id, active: true } })))
    return "This account is deactivated.";
  if (principal.sessionId) {
    const s = await m.findOne(Session, { where: { id: principal.sessionId } });
    if (!s) return "Your session has ended; sign in again and resubscribe.";
    const verdict = sessionVerdict(s, now, idleMsOf(beacon));
    if (verdict !== "active") return sessionEndedMessage(verdict, idleMsOf(beacon));
  }
  if (principal.apiKeyId) {
    const k = await m.findOne(ApiKey, { where: { id: principal.apiKeyId } });
    if (!k || k.revokedAt) return "This API key was revoked; ask an admin for a new one.";
  }
  return null;
}

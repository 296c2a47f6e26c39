import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { DataSource } from "typeorm";

/**
 * Signed links for people without an account (subscription confirm/unsubscribe/manage, a
 * requester's confirmation that their incident is resolved). A token is base64url(JSON claims) +
 * "." + base64url(HMAC-SHA256). Written with node:crypto rather than a JWT library on purpose: one
 * fixed algorithm, no header to negotiate, nothing else needed. Each use has its own key, generated
 * once and stored in the database (`beacon_secret`), so every instance signs and verifies alike.
 */
export interface SignedClaims {
  /** The subject: a subscription id, an incident id. */
  s: string;
  /** What the token may be used for; a token of one purpose never passes as another. */
  p: string;
  /** Expiry, epoch seconds; absent: does not expire. */
  e?: number;
}

/** The key named `name`, created on first use (concurrent first uses agree on one). */
export async function signingKey(db: DataSource, name: string): Promise<Buffer> {
  await db.query("INSERT INTO beacon_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
    name,
    randomBytes(32).toString("base64"),
  ]);
  const [row] = (await db.query("SELECT value FROM beacon_secret WHERE name = $1", [name])) as {
    value: string;
  }[];
  if (!row) throw new Error(`signing key "${name}" could not be stored`);
  return Buffer.from(row.value, "base64");
}

const mac = (key: Buffer, body: string) => createHmac("sha256", key).update(body).digest("base64url");

export function signToken<C extends SignedClaims>(key: Buffer, claims: C): string {
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${mac(key, body)}`;
}

/** The claims if the token is intact, of that purpose and not expired; otherwise null. */
export function verifyToken<C extends SignedClaims>(
  key: Buffer,
  token: string,
  purpose: C["p"],
  now: Date,
): C | null {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return null;
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let claims: C;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as C;
  } catch {
    return null;
  }
  if (claims === null || typeof claims !== "object") return null;
  if (claims.p !== purpose || typeof claims.s !== "string") return null;
  if (claims.e !== undefined && (typeof claims.e !== "number" || claims.e * 1000 < now.getTime()))
    return null;
  return claims;
}

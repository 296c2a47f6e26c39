import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { DataSource } from "typeorm";
import { BeaconSecret } from "../jobs/cursor.entity";

/**
 * Signed links for people without an account (confirm, unsubscribe, manage). A token is
 * base64url(JSON claims) + "." + base64url(HMAC-SHA256). Written with node:crypto rather than a JWT
 * library on purpose: one fixed algorithm, no header to negotiate, nothing else needed. The key is
 * generated once and stored in the database, so every instance signs and verifies alike.
 */
export type TokenPurpose = "confirm" | "unsubscribe" | "manage";

export interface TokenClaims {
  /** Subscription id. */
  s: string;
  p: TokenPurpose;
  /** Expiry, epoch seconds; absent: does not expire (unsubscribe links in old mails keep working). */
  e?: number;
}

export async function signingKey(db: DataSource): Promise<Buffer> {
  await db.query(
    "INSERT INTO beacon_secret (name, value) VALUES ('subscription-links', $1) ON CONFLICT (name) DO NOTHING",
    [randomBytes(32).toString("base64")],
  );
  const row = await db.manager.findOneByOrFail(BeaconSecret, { name: "subscription-links" });
  return Buffer.from(row.value, "base64");
}

const mac = (key: Buffer, body: string) => createHmac("sha256", key).update(body).digest("base64url");

export function signToken(key: Buffer, claims: TokenClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${mac(key, body)}`;
}

/** The claims if the token is intact, of that purpose and not expired; otherwise null. */
export function verifyToken(
  key: Buffer,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): TokenClaims | null {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return null;
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TokenClaims;
  } catch {
    return null;
  }
  if (claims.p !== purpose || typeof claims.s !== "string") return null;
  if (claims.e !== undefined && claims.e * 1000 < now.getTime()) return null;
  return claims;
}

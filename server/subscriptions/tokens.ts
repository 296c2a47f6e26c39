import type { DataSource } from "typeorm";
import * as signed from "../kernel/signed-token";

/** The links in subscription mails (kernel/signed-token.ts explains the format). */
export type TokenPurpose = "confirm" | "unsubscribe" | "manage";

export interface TokenClaims extends signed.SignedClaims {
  /** Subscription id. */
  s: string;
  p: TokenPurpose;
  /** Absent on unsubscribe links: those in old mails keep working. */
  e?: number;
}

export const signingKey = (db: DataSource) => signed.signingKey(db, "subscription-links");
export const signToken = (key: Buffer, claims: TokenClaims) => signed.signToken(key, claims);
export const verifyToken = (key: Buffer, token: string, purpose: TokenPurpose, now: Date) =>
  signed.verifyToken<TokenClaims>(key, token, purpose, now);

import type { DataSource } from "typeorm";
import type { User } from "../auth/user.entity";
import type { ApiScope } from "../domain/vocabulary";
import type { EventHub } from "../events";
import type { JobRunner } from "../jobs";
import type { Mailer } from "../mail";
import type { RateLimits } from "../rate-limit";
import type { DeliveryEngine } from "../subscriptions";
import type { PresenceHub } from "../war-room/presence.hub";
import type { Clock } from "./clock";
import type { BeaconConfig } from "./config";
import type { DatabaseAvailability } from "./database-availability";
import type { Logger } from "./log";

/** Who is calling. `scopes` is null for a logged-in person (no narrowing), a list for an API key. */
export interface Principal {
  user: User;
  via: "session" | "apiKey";
  scopes: ApiScope[] | null;
  queueIds: string[];
  sessionId: string | null;
  apiKeyId: string | null;
}

/** The application's long-lived parts, built once in main (or a test) and shared by every request. */
export interface Beacon {
  config: BeaconConfig;
  log: Logger;
  db: DataSource;
  clock: Clock;
  hub: EventHub;
  presence: PresenceHub;
  /** Durable jobs (docs/jobs.md). */
  jobs: JobRunner;
  mailer: Mailer;
  /** Subscriptions' deliveries (docs/subscriptions.md). */
  deliveries: DeliveryEngine;
  rateLimits: RateLimits;
  /** Whether PostgreSQL answers: while it does not, requests needing it are refused at once. */
  database: DatabaseAvailability;
}

/** The browser's session cookie on this HTTP response (auth/session-cookie.ts); absent over WebSocket. */
export interface SessionCookieJar {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface BeaconContext {
  beacon: Beacon;
  principal: Principal | null;
  /** Set when a token was presented but is invalid or expired: private operations say so. */
  authProblem: string | null;
  /** The caller's network address (rate limits); null when unknown. */
  ip?: string | null;
  sessionCookie?: SessionCookieJar | null;
}

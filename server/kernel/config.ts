import path from "node:path";
import proxyaddr from "proxy-addr";
import { validateTimeZone } from "../domain/business-days";
import { DEFAULT_BUSINESS_HOURS, type HoursWindow, parseBusinessHours } from "../domain/business-hours";
import { DEFAULT_RECENT_DAYS } from "../domain/public-story";
import { DEFAULT_WARN_PERCENT } from "../domain/sla";

/** Every setting Beacon reads, validated once at start. Nothing else reads process.env. */
export interface BeaconConfig {
  port: number;
  host: string;
  /** null: run the embedded PostgreSQL under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  adminEmail: string | null;
  adminPassword: string | null;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  demo: boolean;
  /** How long a login token stays valid. */
  sessionTtlHours: number;
  /** A session nobody used for this long ends (BEACON_SESSION_IDLE_MINUTES, default 480 = 8 h). */
  sessionIdleMinutes: number;
  /** Business calendar for closure rules. */
  timeZone: string;
  holidays: string[];
  /**
   * Business hours of a business day in the calendar's zone (BEACON_BUSINESS_HOURS, default
   * "09:00-17:00"; several windows comma-separated, none overlapping). SLA clocks of policies with
   * businessHours count only these (docs/service-levels.md).
   */
  businessHours: HoursWindow[];
  /** An SLA warning fires at this share of a clock's target (BEACON_SLA_WARN_PERCENT, default 75). */
  slaWarnPercent: number;
  /** Serve the built web app from this folder if it exists. */
  webDir: string;
  /**
   * Public subscribers with the same operation and variables share one execution and one serialized
   * payload per event (BEACON_SHARED_FANOUT, default on; 0 executes per subscriber, the baseline).
   */
  sharedFanout: boolean;
  /** Open WebSockets allowed per client address (BEACON_WS_MAX_PER_ADDRESS, default 50). */
  wsMaxPerAddress: number;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (BEACON_TRUST_PROXY: addresses, CIDR ranges or
   * loopback / linklocal / uniquelocal, comma-separated); null: the TCP peer is the client. Per-address
   * limits and caps count the client behind the proxy instead of the proxy itself.
   */
  trustProxy: string[] | null;
  /** Reach (docs/subscriptions.md). SMTP server for mail; null: mails go to the local outbox table. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Base of links in mails and feeds. */
  publicUrl: string;
  /** Allow webhook URLs on loopback/private/link-local addresses (off: refused, against SSRF). */
  webhookAllowPrivate: boolean;
  /** A webhook receiver that has not answered within this is cut off. */
  webhookTimeoutMs: number;
  /** Retries of a webhook delivery after its first attempt (then FAILED). */
  webhookRetries: number;
  /** Seconds before a delivery's first retry; doubles each time, with jitter. */
  deliveryRetryDelaySeconds: number;
  /**
   * A delivery attempt still running after this long is taken for dead (its instance was killed)
   * and retried. Longer than any attempt can take (a webhook's is at least its timeout + 5 s).
   */
  deliveryExpireSeconds: number;
  /** Job runner (docs/jobs.md): idle poll and crash fail-over intervals. */
  jobPollSeconds: number;
  jobMaintenanceSeconds: number;
  /** Minutes before a maintenance window's start at which subscribers are reminded (docs/maintenance.md). */
  maintenanceReminderMinutes: number[];
  /** Time inside a maintenance window does not count in uptime (BEACON_UPTIME_EXCLUDES_MAINTENANCE). */
  uptimeExcludesMaintenance: boolean;
  /** Days a resolved incident stays under "Recently resolved" on the status page (BEACON_RECENT_DAYS). */
  recentDays: number;
  /**
   * Database timeouts (docs/performance.md, "When the database is down"): waiting for a pooled
   * connection or a new one, and for one query's answer. A hung database then fails requests fast
   * with SERVICE_UNAVAILABLE instead of holding them.
   */
  dbConnectTimeoutMs: number;
  dbQueryTimeoutMs: number;
  /**
   * While the database answers, a `SELECT 1` this often on a connection of its own (0: off), given
   * dbHeartbeatTimeoutMs: a database that stops answering is noticed within seconds even when no
   * request meets it, so the first write after it is refused at once instead of waiting out
   * dbQueryTimeoutMs.
   */
  dbHeartbeatMs: number;
  dbHeartbeatTimeoutMs: number;
  /**
   * Reconnecting to the database after it went away (docs/operations.md): the LISTEN connections and
   * the embedded PostgreSQL's restarts wait at most this long between attempts (capped exponential
   * backoff with full jitter, from 250 ms).
   */
  dbReconnectMaxMs: number;
  /** The event hub's safety-net poll for a lost NOTIFY (docs/events.md). */
  eventPollMs: number;
  /** Per-IP rate limits and sign-in throttling (docs/security.md, "Rate limits"). */
  limits: RateLimitConfig;
  /**
   * How far back a subscription's `since` may reach, in events (BEACON_REPLAY_MAX_EVENTS); older is
   * refused with SNAPSHOT_REQUIRED: reload the snapshot and subscribe from its seq (docs/events.md).
   */
  replayMaxEvents: number;
}

/** Counted in PostgreSQL, so every instance shares them (server/rate-limit/). */
export interface RateLimitConfig {
  /** Anonymous requests to /graphql, /api/* and the feeds, per IP per minute. */
  httpPerMinute: number;
  /** WebSocket connection attempts per IP per minute. */
  wsConnectionsPerMinute: number;
  /** Subscription starts on anonymous sockets, per IP per minute. */
  wsSubscriptionsPerMinute: number;
  /** Sign-in attempts that did not succeed, per (email, IP) in 15 minutes: then that pair backs off. */
  loginPerAddressAndIp: number;
  /** ... per email over all IPs in an hour: then only IPs with no failure in the window may try. */
  loginPerAddress: number;
  /** ... per IP over all emails in an hour. */
  loginPerIp: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Beacon cannot start, the configuration is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function parseBool(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
  problems.push(`${name}="${raw}" is not a boolean; use 1 or 0.`);
  return fallback;
}

function parseInteger(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}="${raw}" must be a whole number from ${min} to ${max}.`);
    return fallback;
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): BeaconConfig {
  const problems: string[] = [];

  const port = parseInteger("PORT", env.PORT, 4000, 0, 65535, problems);

  let databaseUrl: string | null = env.DATABASE_URL?.trim() || null;
  if (databaseUrl) {
    try {
      const u = new URL(databaseUrl);
      if (!["postgres:", "postgresql:"].includes(u.protocol)) {
        problems.push(`DATABASE_URL must start with postgres:// or postgresql://, got "${u.protocol}".`);
      }
    } catch {
      problems.push("DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database.");
      databaseUrl = null;
    }
  }

  const adminEmail = env.ADMIN_EMAIL?.trim() || null;
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    problems.push(`ADMIN_EMAIL="${adminEmail}" is not an email address.`);
  }
  const adminPassword = env.ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 8) {
    problems.push("ADMIN_PASSWORD must be at least 8 characters long.");
  }

  const rawLevel = (env.LOG_LEVEL || "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(rawLevel)) {
    problems.push(`LOG_LEVEL="${env.LOG_LEVEL}" is not one of ${LOG_LEVELS.join(", ")}.`);
  }

  const timeZone = env.BEACON_TIME_ZONE || "UTC";
  if (!validateTimeZone(timeZone)) {
    problems.push(`BEACON_TIME_ZONE="${timeZone}" is not an IANA time zone such as Europe/Berlin.`);
  }
  const holidays = (env.BEACON_HOLIDAYS || "")
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of holidays) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
      problems.push(`BEACON_HOLIDAYS contains "${d}"; list dates as YYYY-MM-DD separated by commas.`);
    }
  }

  const hoursSpec = env.BEACON_BUSINESS_HOURS?.trim() || DEFAULT_BUSINESS_HOURS;
  const hours = parseBusinessHours(hoursSpec);
  if (!hours.ok) {
    problems.push(
      `BEACON_BUSINESS_HOURS="${hoursSpec}": ${hours.problem} (local times in BEACON_TIME_ZONE, e.g. 09:00-17:00 or 08:00-12:00,13:00-17:00).`,
    );
  }

  /** A duration setting in milliseconds, bounded (min..max). */
  const ms = (name: string, fallback: number, min: number, max: number) =>
    parseInteger(name, env[name], fallback, min, max, problems);
  const config: BeaconConfig = {
    port,
    host: env.HOST || "0.0.0.0",
    databaseUrl,
    dataDir: path.resolve(cwd, env.BEACON_DATA_DIR || ".data"),
    adminEmail,
    adminPassword,
    logLevel: rawLevel as BeaconConfig["logLevel"],
    demo: parseBool("BEACON_DEMO", env.BEACON_DEMO, true, problems),
    sessionTtlHours: parseInteger(
      "BEACON_SESSION_TTL_HOURS",
      env.BEACON_SESSION_TTL_HOURS,
      12,
      1,
      24 * 90,
      problems,
    ),
    sessionIdleMinutes: parseInteger(
      "BEACON_SESSION_IDLE_MINUTES",
      env.BEACON_SESSION_IDLE_MINUTES,
      480,
      5,
      24 * 90 * 60,
      problems,
    ),
    timeZone,
    holidays,
    businessHours: hours.ok ? hours.hours : [],
    slaWarnPercent: parseInteger(
      "BEACON_SLA_WARN_PERCENT",
      env.BEACON_SLA_WARN_PERCENT,
      DEFAULT_WARN_PERCENT,
      1,
      99,
      problems,
    ),
    webDir: path.resolve(cwd, env.BEACON_WEB_DIR || "web/dist"),
    sharedFanout: parseBool("BEACON_SHARED_FANOUT", env.BEACON_SHARED_FANOUT, true, problems),
    trustProxy: null,
    wsMaxPerAddress: parseInteger(
      "BEACON_WS_MAX_PER_ADDRESS",
      env.BEACON_WS_MAX_PER_ADDRESS,
      50,
      1,
      100_000,
      problems,
    ),
    smtpUrl: null,
    mailFrom: "",
    publicUrl: "",
    webhookAllowPrivate: false,
    webhookTimeoutMs: 10_000,
    webhookRetries: 5,
    deliveryRetryDelaySeconds: 10,
    deliveryExpireSeconds: 60,
    jobPollSeconds: 2,
    jobMaintenanceSeconds: 30,
    maintenanceReminderMinutes: [1440, 60],
    uptimeExcludesMaintenance: parseBool(
      "BEACON_UPTIME_EXCLUDES_MAINTENANCE",
      env.BEACON_UPTIME_EXCLUDES_MAINTENANCE,
      true,
      problems,
    ),
    recentDays: parseInteger(
      "BEACON_RECENT_DAYS",
      env.BEACON_RECENT_DAYS,
      DEFAULT_RECENT_DAYS,
      0,
      90,
      problems,
    ),
    dbConnectTimeoutMs: ms("BEACON_DB_CONNECT_TIMEOUT_MS", 3000, 100, 600_000),
    dbQueryTimeoutMs: ms("BEACON_DB_QUERY_TIMEOUT_MS", 15_000, 100, 3_600_000),
    dbHeartbeatMs: ms("BEACON_DB_HEARTBEAT_MS", 2000, 0, 600_000),
    dbHeartbeatTimeoutMs: ms("BEACON_DB_HEARTBEAT_TIMEOUT_MS", 5000, 100, 600_000),
    dbReconnectMaxMs: ms("BEACON_DB_RECONNECT_MAX_MS", 1000, 250, 600_000),
    eventPollMs: ms("BEACON_EVENT_POLL_MS", 2000, 100, 86_400_000),
    limits: {} as RateLimitConfig,
    replayMaxEvents: 1000,
  };
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push(
      `SMTP_URL must start with smtp:// or smtps://, e.g. smtp://user:pass@mail.example.com:587.`,
    );
  }
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, "");
  try {
    new URL(publicUrl);
  } catch {
    problems.push(
      `PUBLIC_URL="${env.PUBLIC_URL}" is not a URL; use the address people open, e.g. https://status.example.com.`,
    );
  }
  config.smtpUrl = smtpUrl;
  config.mailFrom = env.MAIL_FROM?.trim() || "Beacon <beacon@localhost>";
  config.publicUrl = publicUrl;
  config.webhookAllowPrivate = parseBool(
    "BEACON_WEBHOOK_ALLOW_PRIVATE",
    env.BEACON_WEBHOOK_ALLOW_PRIVATE,
    false,
    problems,
  );
  config.webhookTimeoutMs = parseInteger(
    "BEACON_WEBHOOK_TIMEOUT_MS",
    env.BEACON_WEBHOOK_TIMEOUT_MS,
    10_000,
    100,
    60_000,
    problems,
  );
  config.webhookRetries = parseInteger(
    "BEACON_WEBHOOK_RETRIES",
    env.BEACON_WEBHOOK_RETRIES,
    5,
    0,
    20,
    problems,
  );
  config.deliveryRetryDelaySeconds = parseInteger(
    "BEACON_DELIVERY_RETRY_DELAY_SECONDS",
    env.BEACON_DELIVERY_RETRY_DELAY_SECONDS,
    10,
    1,
    3600,
    problems,
  );
  config.deliveryExpireSeconds = parseInteger(
    "BEACON_DELIVERY_EXPIRE_SECONDS",
    env.BEACON_DELIVERY_EXPIRE_SECONDS,
    60,
    5,
    3600,
    problems,
  );
  config.jobPollSeconds = parseInteger(
    "BEACON_JOB_POLL_SECONDS",
    env.BEACON_JOB_POLL_SECONDS,
    2,
    1,
    60,
    problems,
  );
  config.jobMaintenanceSeconds = parseInteger(
    "BEACON_JOB_MAINTENANCE_SECONDS",
    env.BEACON_JOB_MAINTENANCE_SECONDS,
    30,
    1,
    3600,
    problems,
  );
  const reminders = env.BEACON_MAINTENANCE_REMINDERS?.trim();
  if (reminders?.toLowerCase() === "none") config.maintenanceReminderMinutes = [];
  else if (reminders !== undefined && reminders !== "") {
    const minutes = reminders.split(",").map((x) => Number(x.trim()));
    if (minutes.some((m) => !Number.isInteger(m) || m < 1 || m > 60 * 24 * 30)) {
      problems.push(
        `BEACON_MAINTENANCE_REMINDERS="${reminders}" must be minutes before the start, comma-separated whole numbers from 1 to 43200, e.g. 1440,60 (or "none").`,
      );
    } else config.maintenanceReminderMinutes = minutes;
  }
  const limit = (name: string, fallback: number) =>
    parseInteger(name, env[name], fallback, 1, 100_000_000, problems);
  config.limits = {
    httpPerMinute: limit("BEACON_RATE_HTTP_PER_MINUTE", 600),
    wsConnectionsPerMinute: limit("BEACON_RATE_WS_CONNECTIONS_PER_MINUTE", 300),
    wsSubscriptionsPerMinute: limit("BEACON_RATE_WS_SUBSCRIPTIONS_PER_MINUTE", 600),
    loginPerAddressAndIp: limit("BEACON_LOGIN_MAX_FAILURES_PER_ADDRESS_AND_IP", 10),
    loginPerAddress: limit("BEACON_LOGIN_MAX_FAILURES_PER_ADDRESS", 50),
    loginPerIp: limit("BEACON_LOGIN_MAX_FAILURES_PER_IP", 100),
  };
  config.replayMaxEvents = limit("BEACON_REPLAY_MAX_EVENTS", 1000);
  const trust = (env.BEACON_TRUST_PROXY ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (trust.length > 0) {
    try {
      proxyaddr.compile(trust);
      config.trustProxy = trust;
    } catch (e) {
      problems.push(
        `BEACON_TRUST_PROXY="${env.BEACON_TRUST_PROXY}": ${(e as Error).message}; list the proxies' addresses or ranges, e.g. 10.0.0.0/8 or loopback.`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

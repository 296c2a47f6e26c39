import type { DataSource } from "typeorm";
import { ensureFirstAdmin } from "../auth/auth.service";
import { createDataSource } from "../db/data-source";
import { startEmbeddedPostgres } from "../db/embedded";
import { seedDemo } from "../demo/demo.seed";
import { EventHub } from "../events/hub";
import { defineRequesterJobs, defineSlaJobs } from "../incidents";
import { JobRunner } from "../jobs/runner";
import type { Clock } from "../kernel/clock";
import { systemClock } from "../kernel/clock";
import type { BeaconConfig } from "../kernel/config";
import type { Beacon } from "../kernel/context";
import { DatabaseAvailability } from "../kernel/database-availability";
import type { Logger } from "../kernel/log";
import { Mailer } from "../mail/mailer";
import { defineMaintenanceJobs, sweepDueMaintenances } from "../maintenance";
import { defineNotificationJobs } from "../notifications";
import { RateLimits } from "../rate-limit";
import { sweepSla } from "../sla";
import { DeliveryEngine } from "../subscriptions";
import { PresenceHub } from "../war-room/presence.hub";
import { type RunningServer, startHttpServer } from "./server";

export interface StartedBeacon {
  beacon: Beacon;
  server: RunningServer;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Runs `fn` while holding a session advisory lock, so instances started together on one fresh
 * database (docker compose's scale profile, a rolling deploy) prepare it one after the other:
 * migrations (otherwise "relation already exists") and pg-boss's own schema (otherwise a deadlock).
 * The second instance then finds nothing left to do.
 */
async function oneAtATime<T>(db: DataSource, fn: () => Promise<T>): Promise<T> {
  const lock = db.createQueryRunner();
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('beacon:startup'))");
    return await fn();
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('beacon:startup'))").catch(() => {});
    await lock.release();
  }
}

/** config -> database -> migrations -> first admin (+ demo) -> events -> HTTP/WS. Used by main and tests. */
export async function startBeacon(
  config: BeaconConfig,
  log: Logger,
  clock: Clock = systemClock,
): Promise<StartedBeacon> {
  const reconnect = { initialMs: 250, maxMs: config.dbReconnectMaxMs };
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres(config.dataDir, log, { restartBackoff: reconnect });
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const db = createDataSource(databaseUrl, {
    connectTimeoutMs: config.dbConnectTimeoutMs,
    queryTimeoutMs: config.dbQueryTimeoutMs,
  });
  try {
    await db.initialize();
    const applied = await oneAtATime(db, () => db.runMigrations({ transaction: "each" }));
    if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, "database migrated");
  } catch (e) {
    await embedded?.stop();
    throw new Error(
      `Could not prepare the database${config.databaseUrl ? " at DATABASE_URL" : ""}: ${(e as Error).message}`,
    );
  }
  const database = new DatabaseAvailability({
    url: databaseUrl,
    timeoutMs: config.dbConnectTimeoutMs,
    heartbeatEveryMs: config.dbHeartbeatMs,
    heartbeatTimeoutMs: config.dbHeartbeatTimeoutMs,
    log: log.child({ component: "database" }),
  });
  const listening = {
    backoff: reconnect,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    // The listeners check their connection every 15 s: often the first to see the database stop.
    onConnectionLost: (err: unknown) => database.report(err),
  };
  const hub = new EventHub(databaseUrl, db, log.child({ component: "events" }), {
    ...listening,
    pollMs: config.eventPollMs,
  });
  const presence = new PresenceHub(
    databaseUrl,
    log.child({ component: "presence" }),
    () => clock.now(),
    (channel, payload) => db.query("SELECT pg_notify($1, $2)", [channel, payload]),
    listening,
  );
  const jobs = new JobRunner(databaseUrl, log.child({ component: "jobs" }), {
    pollingIntervalSeconds: config.jobPollSeconds,
    maintenanceIntervalSeconds: config.jobMaintenanceSeconds,
  });
  const mailer = new Mailer(config, db, log.child({ component: "mail" }));
  const beacon = {
    config,
    log,
    db,
    clock,
    hub,
    presence,
    jobs,
    mailer,
    rateLimits: new RateLimits(db),
    database,
  } as Beacon;
  // Features define their jobs while Beacon is assembled, before the runner starts.
  beacon.deliveries = new DeliveryEngine(beacon);
  defineMaintenanceJobs(beacon);
  defineRequesterJobs(beacon);
  defineNotificationJobs(beacon);
  defineSlaJobs(beacon);

  const admin = await ensureFirstAdmin(beacon);
  if (admin) {
    if (admin.generatedPassword) {
      // Printed once, on purpose, to stdout and outside the JSON log so it is easy to find.
      process.stdout.write(
        `\n  First admin created: ${admin.email}\n  Password (shown once; change it in the war room, /war-room > Change password): ${admin.generatedPassword}\n\n`,
      );
    } else {
      log.info({ email: admin.email }, "first admin created from ADMIN_EMAIL / ADMIN_PASSWORD");
    }
    if (config.demo && !config.databaseUrl) await seedDemo(beacon);
  }
  await hub.start();
  await presence.start();
  await oneAtATime(db, () => jobs.start());
  await beacon.deliveries.start();
  await sweepDueMaintenances(beacon);
  await sweepSla(beacon);
  const server = await startHttpServer(beacon, config.port, config.host);
  log.info({ url: server.url, embedded: !config.databaseUrl }, "Beacon is listening");

  let stopping: Promise<void> | null = null;
  return {
    beacon,
    server,
    databaseUrl,
    stop() {
      embedded?.expectExit();
      stopping ??= (async () => {
        await server.close();
        await beacon.database.stop();
        await beacon.deliveries.stop();
        await jobs.stop();
        mailer.close();
        await hub.stop();
        await presence.stop();
        await db.destroy();
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}

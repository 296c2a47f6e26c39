import "reflect-metadata";
import { startBeacon } from "./app/beacon";
import { leaveSignalsToCaller } from "./db/embedded";
import { ConfigError, loadConfig } from "./kernel/config";
import { createLogger } from "./kernel/log";

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  let started: Awaited<ReturnType<typeof startBeacon>>;
  try {
    started = await startBeacon(config, log);
  } catch (e) {
    log.fatal({ err: e }, "Beacon could not start");
    process.stderr.write(`Beacon could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, 8000);
    force.unref();
    try {
      await started.stop();
      log.info("stopped cleanly");
      process.exit(0);
    } catch (e) {
      log.error({ err: e }, "error while shutting down");
      process.exit(1);
    }
  };
  leaveSignalsToCaller();
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

void main();

/**
 * Beacon in a process of its own for the floor benchmarks (kit.ts `BeaconChild`), so load
 * generators and subscribers never share its event loop and its memory is its own. Configured by
 * the environment the parent passes; answers over IPC (no HTTP endpoint is added for the bench).
 * Run with --expose-gc so memory is read after a full collection.
 */
import "reflect-metadata";
import { writeHeapSnapshot } from "node:v8";
import { startBeacon } from "../../server/app/beacon";
import { loadConfig } from "../../server/kernel/config";
import { createLogger } from "../../server/kernel/log";
import { type Answer, type Ask, settledMemory } from "./ipc";

const reply = (m: Answer) => process.send!(m);

const config = loadConfig(process.env);
const started = await startBeacon(config, createLogger(config.logLevel)).catch(
  (e: unknown) =>
    new Promise<never>(() => {
      const message = e instanceof Error ? e.message : String(e);
      process.send!({ type: "failed", message } satisfies Answer, () => process.exit(1));
    }),
);
const snapshot = started.server.publicSnapshot;
/** How many bodies the current generation holds (read for the report only; the class keeps it private). */
const bodyCount = () =>
  (snapshot as unknown as { current: { entries: Map<string, unknown> } | null }).current?.entries.size ?? 0;

process.on("message", (m: Ask) => {
  const run = async () => {
    switch (m.type) {
      case "memory":
        return reply({ type: "answer", id: m.id, memory: settledMemory() });
      case "cpu":
        return reply({ type: "answer", id: m.id, cpu: process.cpuUsage() });
      case "caughtUp":
        await started.beacon.hub.drain();
        await snapshot.settled();
        return reply({ type: "answer", id: m.id });
      case "rebuild":
        snapshot.requestBuild();
        await snapshot.settled();
        return reply({ type: "answer", id: m.id, lastError: snapshot.lastError });
      case "rebuildCost": {
        const builds = 10;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < builds; i++) {
          snapshot.requestBuild();
          await snapshot.settled();
        }
        const { user, system } = process.cpuUsage(cpu0);
        return reply({
          type: "answer",
          id: m.id,
          rebuild: {
            wallMs: (performance.now() - t0) / builds,
            cpuMs: (user + system) / 1000 / builds,
            bodies: bodyCount(),
          },
        });
      }
      case "heapSnapshot":
        settledMemory();
        writeHeapSnapshot(m.file);
        return reply({ type: "answer", id: m.id });
      case "subscribers":
        return reply({ type: "answer", id: m.id, subscribers: started.beacon.hub.subscriberCount });
      case "stop":
        await started.stop();
        process.send!({ type: "answer", id: m.id } satisfies Answer, () => process.exit(0));
        return;
      default:
        throw new Error(`unknown request ${m.type}`);
    }
  };
  run().catch((e: unknown) =>
    reply({ type: "failed", id: m.id, message: e instanceof Error ? e.message : String(e) }),
  );
});
process.on("disconnect", () => {
  void started.stop().finally(() => process.exit(0));
});
reply({ type: "ready", port: started.server.port });

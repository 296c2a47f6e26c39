import fs from "node:fs";
import path from "node:path";

/** The postmaster of an embedded PostgreSQL in `dataDir` and its children (backends, checkpointer, ...). */
export function clusterPids(dataDir: string): number[] {
  const postmaster = Number(
    fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0],
  );
  const children = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/** Stops (SIGSTOP: a hung database, not a crashed one) or continues the whole cluster. */
export function signalCluster(dataDir: string, signal: "SIGSTOP" | "SIGCONT"): void {
  for (const pid of clusterPids(dataDir)) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile (a backend that ended): nothing to stop.
    }
  }
}

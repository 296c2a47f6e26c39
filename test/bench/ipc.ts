/** What the bench's child processes (beacon-child.ts, floor-servers.ts) are asked and answer over IPC. */

export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export type Ask =
  | { id: number; type: "memory" | "cpu" | "caughtUp" | "rebuild" | "rebuildCost" | "subscribers" | "stop" }
  | { id: number; type: "routes"; routes: FloorRoute[] }
  /** Writes a V8 heap snapshot to this file (after a full GC). */
  | { id: number; type: "heapSnapshot"; file: string };

export type Answer =
  | { type: "ready"; port: number }
  | {
      type: "answer";
      id: number;
      memory?: Memory;
      /** process.cpuUsage(): user and system microseconds, every thread of the process. */
      cpu?: NodeJS.CpuUsage;
      lastError?: string | null;
      subscribers?: number;
      /** One public snapshot rebuild, averaged: wall time and the process's CPU time. */
      rebuild?: { wallMs: number; cpuMs: number; bodies: number };
    }
  | { type: "failed"; id?: number; message: string };

/** One response the static floor server repeats byte for byte. */
export interface FloorRoute {
  /** `METHOD /path?query` */
  key: string;
  status: number;
  headers: Record<string, string>;
  /** base64 */
  body: string;
}

/** process.memoryUsage() after full collections (the process runs with --expose-gc). */
export function settledMemory(): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

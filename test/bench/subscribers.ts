import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import type { FromClients, ToClients } from "./fanout-clients";
import { HERE } from "./kit";

/** The subscriber process (fanout-clients.ts), driven over IPC; one question at a time. */
export class Subscribers {
  private readonly child: ChildProcess;
  private waiting: ((m: FromClients) => void) | null = null;
  /** Called each time every subscriber has one more event (`expect` with `each`). */
  onEvent: ((index: number) => void) | null = null;
  /** The subscriber process's CPU ms over the last `expect` (until every subscriber had every event). */
  lastCpuMs = 0;

  constructor() {
    this.child = fork(path.join(HERE, "fanout-clients.ts"), [], {
      execArgv: ["--import", "tsx"],
      stdio: "inherit",
    });
    this.child.on("message", (m: FromClients) => {
      if (m.type === "event") return this.onEvent?.(m.index);
      if (m.type === "delivered") {
        this.lastCpuMs = m.cpuMs;
        return;
      }
      const w = this.waiting;
      this.waiting = null;
      w?.(m);
    });
    this.child.on("exit", (code) => this.waiting?.({ type: "failed", message: `exited (${code})` }));
  }

  ask<T extends FromClients["type"]>(m: ToClients, answer: T): Promise<Extract<FromClients, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting = (r) => {
        if (r.type === answer) resolve(r as Extract<FromClients, { type: T }>);
        else reject(new Error(`subscriber process: ${r.type === "failed" ? r.message : r.type}`));
      };
      this.child.send(m);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

import { Writable } from "node:stream";
import { QueryFailedError } from "typeorm";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../server/kernel/log";

describe("logs", () => {
  it("never carry a failed statement's parameters or PostgreSQL's row detail", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger("info", sink);
    const driverError = Object.assign(new Error("duplicate key"), {
      detail: "Key (email)=(secret@example.com) already exists.",
    });
    const err = new QueryFailedError(
      "INSERT INTO users VALUES ($1, $2)",
      ["secret@example.com", "hunter2"],
      driverError,
    );
    log.error({ err }, "unexpected error");
    const out = lines.join("");
    expect(out).toContain("INSERT INTO users VALUES ($1, $2)");
    expect(out).not.toContain("hunter2");
    expect(out).not.toContain("secret@example.com");
    expect(out).toContain("[redacted]");
  });
});

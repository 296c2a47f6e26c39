// The test gate's canary. scripts/test.sh copies this file into test/integration/ and runs it through
// the same runner, configuration and global set-up as the real suite: that run must exit non-zero.
// If it exits 0, a failing test could never stop a change from landing, and the whole suite fails.
import { expect, it } from "vitest";

it("fails on purpose (the test gate's canary)", () => {
  expect(1).toBe(2);
});

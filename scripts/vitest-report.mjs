// Reads a vitest JSON report and exits non-zero unless it records a run with tests and no failure.
// The test command's second line of defence: its status does not depend on vitest's exit code alone.
// Usage: node scripts/vitest-report.mjs <report.json>
import fs from "node:fs";

const file = process.argv[2];
let report;
try {
  report = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (e) {
  console.log(`vitest: no readable report at ${file} (${e.message})`);
  process.exit(1);
}
const skipped = report.numPendingTests + report.numTodoTests;
// One plain summary line that any CI can read.
console.log(
  `vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
    (skipped ? `, ${skipped} skipped` : ""),
);
const failedFiles = report.numFailedTestSuites ?? 0;
if (failedFiles > 0 && report.numFailedTests === 0) {
  console.log(`${failedFiles} test file(s) failed to load or run`);
}
const ok =
  report.success === true && report.numFailedTests === 0 && failedFiles === 0 && report.numTotalTests > 0;
process.exit(ok ? 0 : 1);

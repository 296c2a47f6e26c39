#!/usr/bin/env bash
# The whole test suite, as the README's second command runs it (and CI, via .ci/run).
# Database: TEST_DATABASE_URL (a role that may CREATE DATABASE) if set, else an embedded PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "lint and format (biome)"
npx biome check .

step "typecheck (tsc --strict; the web app's GraphQL documents against schema/schema.graphql)"
npx tsc -p tsconfig.json --noEmit
npx gql.tada check

step "dependency rules (dependency-cruiser: arrows only point down, no cycles, no reaching into a feature)"
npm run --silent depcheck

step "browser for end-to-end tests"
if [ -z "${CHROMIUM_PATH:-}" ]; then
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then export CHROMIUM_PATH="$candidate"; break; fi
  done
fi
if [ -z "${CHROMIUM_PATH:-}" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing; installing Debian's chromium package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  export CHROMIUM_PATH=/usr/bin/chromium
fi
echo "chromium: ${CHROMIUM_PATH:-not found (end-to-end tests will fail)}"

step "build the web app"
npm run --silent build:web

step "the test gate: a failing test must fail the run"
# The canary runs through the same runner, configuration and global set-up (database included) as the
# suite below. If that run exits 0, green would mean nothing: stop here.
mkdir -p test-results
canary="test/integration/__gate_canary.test.ts"
cp test/gate/must-fail.test.ts "$canary"
trap 'rm -f "$canary"' EXIT
gate=0
npx vitest run --project integration "$canary" --reporter=json --outputFile.json=test-results/gate.json \
  >test-results/gate.log 2>&1 || gate=$?
rm -f "$canary"
# The canary must have run and failed (not merely crashed the runner), and the runner must say so.
canary_failed=$(node -e 'try { console.log(require("./test-results/gate.json").numFailedTests) } catch { console.log(0) }')
if [ "$gate" -eq 0 ] || [ "$canary_failed" != "1" ] || node scripts/vitest-report.mjs test-results/gate.json >/dev/null; then
  cat test-results/gate.log
  echo "TEST GATE BROKEN: the deliberately failing canary test exited $gate with $canary_failed failure(s) recorded." >&2
  exit 1
fi
echo "ok: the canary failed the run (exit $gate), as it must"

step "tests (unit, integration on real PostgreSQL + WebSockets, end-to-end in Chromium)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?

# The status is also derived from the JSON report (a second line of defence against an exit hook or a
# runner that swallows failures), which prints the one plain summary line that any CI can read.
report=0
node scripts/vitest-report.mjs test-results/vitest.json || report=$?
if [ "$status" -eq 0 ] && [ "$report" -ne 0 ]; then
  echo "vitest exited 0 but its report records failures (or no tests): failing the run" >&2
  status=1
fi
exit $status

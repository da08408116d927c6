#!/usr/bin/env bash
# `npm test`: the whole suite with its own set-up. Starts NATS and Redis on test ports,
# the local Kubernetes control plane (tools/testenv), then runs lint, typecheck, unit,
# integration and end-to-end tests, the deploy/ validation and a schemathesis run against the
# gateway's OpenAPI document (scripts/fuzz-api.sh). Ends with one line
# `N passed, N failed` summing every runner.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/node-env.sh
source scripts/ensure-deps.sh
[[ -f node_modules/.bosun-installed ]] || { echo '[bosun:test] npm dependencies could not be installed'; mkdir -p .bosun/test-results; echo '0 passed, 1 failed' | tee .bosun/test-results/summary; exit 1; }
export PATH="$root/node_modules/.bin:$PATH"
out=$root/.bosun/test-results
rm -rf "$out" && mkdir -p "$out"
passed=0 failed=0
step() { printf '\n[bosun:test] === %s ===\n' "$*"; }
check() { # name command... — one pass/fail for a whole tool (lint, typecheck, validation)
  local name=$1; shift
  step "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "[bosun:test] $name FAILED"; fi
}
count_jest() { # file
  [[ -f $1 ]] || { failed=$((failed + 1)); echo "[bosun:test] no result file $1: the runner crashed"; return; }
  local p f
  read -r p f < <(node -e "const r=require('$1'); console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)")
  passed=$((passed + p)); failed=$((failed + f))
}

export NATS_PORT=${BOSUN_TEST_NATS_PORT:-14222} REDIS_PORT=${BOSUN_TEST_REDIS_PORT:-16379}
export NATS_URL=nats://127.0.0.1:$NATS_PORT REDIS_URL=redis://127.0.0.1:$REDIS_PORT BOSUN_TEST_STATE=test
# Services started inside tests log only errors, so the runner output stays readable.
export LOG_LEVEL=${LOG_LEVEL:-error}
step "NATS and Redis"
bash scripts/infra.sh stop test >/dev/null 2>&1 || true
bash scripts/infra.sh start test "$NATS_PORT" "$REDIS_PORT" || { echo "0 passed, 1 failed" | tee "$out/summary"; exit 1; }
trap 'bash scripts/infra.sh stop test >/dev/null 2>&1' EXIT
step "Kubernetes control plane (tools/testenv)"
# A cluster that was already up (a developer's) is left running; one started here is stopped.
cluster_was_up=false
[[ -f .bosun/testenv.json ]] && cluster_was_up=true
node tools/testenv/launcher/up.mjs || { echo "[bosun:test] the control plane did not start"; echo "0 passed, 1 failed" | tee "$out/summary"; exit 1; }
trap 'bash scripts/infra.sh stop test >/dev/null 2>&1; $cluster_was_up || node tools/testenv/launcher/down.mjs >/dev/null 2>&1' EXIT

# The boundary rule reads Nx's project graph; without one (a fresh clone) it would skip itself.
nx show projects >/dev/null
check lint eslint --max-warnings=0 apps libs e2e
check typecheck tsc -p tsconfig.json --noEmit
check deploy-validate bash deploy/validate.sh
step "unit tests"
jest --selectProjects unit --ci --json --outputFile="$out/unit.json" 2>&1 | tee "$out/unit.log" | tail -n 60
count_jest "$out/unit.json"
check build npm run -s build
step "integration and end-to-end tests (real NATS, Redis, Kubernetes)"
jest --selectProjects integration e2e --ci --runInBand --forceExit --json --outputFile="$out/integration.json" 2>&1 | tee "$out/integration.log" | grep -vE '^\s+at ' | tail -n 200
count_jest "$out/integration.json"
# Schemathesis against the gateway's /openapi.json (its own NATS and Redis, no services, rate limit off), time-boxed.
check schemathesis bash scripts/fuzz-api.sh
# Everything the run wrote (runner output, every app's log, NATS and Redis logs) holds none of its secrets.
check secret-scan node scripts/scan-secrets.mjs "$out" "$BOSUN_TEST_STATE"

echo "$passed passed, $failed failed" > "$out/summary"
printf '\n%s passed, %s failed\n' "$passed" "$failed"
[[ $failed -eq 0 ]]

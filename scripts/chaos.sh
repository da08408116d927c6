#!/usr/bin/env bash
# `npm run chaos`: the fault campaign at full size (BOSUN_CHAOS_KILLS, default 108: every
# component killed a dozen times) against its own NATS and Redis, the local control plane
# and the built apps. Prints the report and writes it to .bosun/chaos/report.md.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/node-env.sh
source scripts/ensure-deps.sh
export PATH="$root/node_modules/.bin:$PATH"
export BOSUN_CHAOS_KILLS=${BOSUN_CHAOS_KILLS:-108}
ports=(${BOSUN_CHAOS_NATS_PORT:-14422} ${BOSUN_CHAOS_REDIS_PORT:-16579})
bash scripts/infra.sh stop chaos >/dev/null 2>&1 || true
bash scripts/infra.sh start chaos "${ports[0]}" "${ports[1]}" || exit 1
trap 'bash scripts/infra.sh stop chaos >/dev/null 2>&1' EXIT
export NATS_URL=nats://127.0.0.1:${ports[0]} REDIS_URL=redis://127.0.0.1:${ports[1]} BOSUN_TEST_STATE=chaos LOG_LEVEL=${LOG_LEVEL:-error}
node tools/testenv/launcher/up.mjs >/dev/null || { echo "[chaos] the control plane did not start"; exit 1; }
npm run -s build || exit 1
rm -f .bosun/test-results/chaos.md
jest --selectProjects e2e --runInBand --forceExit --testPathPatterns e2e/chaos 2>&1 | grep -vE '^\s+at '
status=${PIPESTATUS[0]}
if [[ -f .bosun/test-results/chaos.md ]]; then
  mkdir -p .bosun/chaos && cp .bosun/test-results/chaos.md .bosun/chaos/report.md
  # The full run's figures are the README's reliability section: kept with the benchmarks.
  { sed -n '1,2p' .bosun/test-results/chaos.md
    echo "Run: $(date -u +%FT%TZ), Node $(node -v), $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)); \`BOSUN_CHAOS_KILLS=$BOSUN_CHAOS_KILLS npm run chaos\`, status $status."
    echo
    sed -n '3,$p' .bosun/test-results/chaos.md; } > bench/results/chaos.md
  echo "[chaos] report: .bosun/chaos/report.md and bench/results/chaos.md"
fi
exit "$status"

#!/usr/bin/env bash
# `npm run bench`: benchmarks against their own NATS and Redis on loopback.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/node-env.sh
source scripts/ensure-deps.sh
export PATH="$root/node_modules/.bin:$PATH"
bash scripts/infra.sh stop bench >/dev/null 2>&1 || true
# Every run on an empty NATS store: no command of an earlier run is left for a service to take.
rm -rf .bosun/bench/nats
bash scripts/infra.sh start bench 14322 16479
trap 'bash scripts/infra.sh stop bench' EXIT
export NATS_URL=nats://127.0.0.1:14322 REDIS_URL=redis://127.0.0.1:16479 BOSUN_TEST_STATE=bench
npm run -s build
node dist/bench/intake.bench.js
node dist/bench/transport.bench.js
# The intake bench left thousands of deploy commands nobody consumed: the next ones start on an empty store.
bash scripts/infra.sh stop-nats bench && rm -rf .bosun/bench/nats && bash scripts/infra.sh start-nats bench
node tools/testenv/launcher/up.mjs
node dist/bench/deploy.bench.js
node dist/bench/dns.bench.js
node dist/bench/provisioner.bench.js
node dist/bench/storage.bench.js
node dist/bench/autoscaler.bench.js
node dist/bench/operations-list.bench.js

#!/usr/bin/env bash
# Schemathesis against the gateway's /openapi.json, time-boxed: `npm test`'s `schemathesis`
# step, or on its own (needs `npm run build`). The gateway runs from dist/ as `npm run up`
# starts it, on a NATS and a Redis of its own (thrown away afterwards: the run queues
# thousands of random operations, which no later test or service must ever pick up), with
# the bootstrap admin token, a throwaway encryption key (deploy env literals are sealed) and
# the rate limit off (BOSUN_RATE_LIMIT_PER_MINUTE=0). No
# back-end service runs, so routes that relay to one answer their documented 503.
#
#   BOSUN_FUZZ_MAX_TIME    seconds schemathesis may spend (default 200)
#   BOSUN_FUZZ_MAX_EXAMPLES cases per operation and phase (default 40)
#   BOSUN_FUZZ_SEED        a seed, to replay a run
# Output and reports (JUnit, NDJSON) in .bosun/test-results/schemathesis/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/node-env.sh
log() { printf '[bosun:fuzz] %s\n' "$*" >&2; }
out=$root/.bosun/test-results/schemathesis
mkdir -p "$out"
export BOSUN_FUZZ_OUT=$out  # scripts/schemathesis.toml keeps its cache there

st=$(bash scripts/ensure-schemathesis.sh) || { log "schemathesis could not be installed"; exit 1; }
[[ -f dist/apps/gateway/src/main.js ]] || { log "dist/ is missing: run npm run build (npm test does it)"; exit 1; }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
name=fuzz-$$
nats_port=$(free_port) redis_port=$(free_port) gateway_port=$(free_port)
random() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
token=fuzz-admin-$(random)
gateway_pid=
cleanup() {
  [[ -n $gateway_pid ]] && { kill "$gateway_pid" 2>/dev/null; wait "$gateway_pid" 2>/dev/null; }
  bash scripts/infra.sh stop "$name" >/dev/null 2>&1
  rm -rf "$root/.bosun/$name"
}
trap cleanup EXIT
bash scripts/infra.sh start "$name" "$nats_port" "$redis_port" || exit 1

NATS_URL=nats://127.0.0.1:$nats_port REDIS_URL=redis://127.0.0.1:$redis_port BOSUN_GATEWAY_PORT=$gateway_port \
  BOSUN_ADMIN_TOKEN=$token BOSUN_ENCRYPTION_KEY=fuzz-key-$(random) BOSUN_RATE_LIMIT_PER_MINUTE=0 BOSUN_INSTANCE_ID=gateway-$name LOG_LEVEL=error \
  NATS_NKEY_SEED_FILE=$root/.bosun/$name/nats-auth/gateway.nk \
  node dist/apps/gateway/src/main.js > "$out/gateway.log" 2>&1 &
gateway_pid=$!
url=http://127.0.0.1:$gateway_port
for _ in $(seq 1 100); do curl -fs "$url/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$url/readyz" >/dev/null || { log "the gateway did not get ready:"; cat "$out/gateway.log" >&2; exit 1; }

max_time=${BOSUN_FUZZ_MAX_TIME:-200}
args=(
  --config-file scripts/schemathesis.toml run "$url/openapi.json"
  --checks all -H "Authorization: Bearer $token"
  --max-examples "${BOSUN_FUZZ_MAX_EXAMPLES:-40}" --max-time "$max_time" --request-timeout 10
  --workers 2 --no-color --generation-database none
  --report junit,ndjson --report-dir "$out"
)
[[ -n ${BOSUN_FUZZ_SEED:-} ]] && args+=(--seed "$BOSUN_FUZZ_SEED")
log "st ${args[*]/$token/…}"
started=$(date +%s)
# The wall-clock bound: schemathesis's own budget plus room to finish and report.
timeout --kill-after 10 $((max_time + 60)) "$st" "${args[@]}" > "$out/output.txt" 2>&1
status=$?
# Failures first (each line cut short: generated bodies can be a megabyte), then the summary.
(( status == 0 )) || sed -n '/^=* FAILURES =*$/,/^=* \(WARNINGS\|SUMMARY\) =*$/p' "$out/output.txt" | grep -v '^\s*$' | cut -c1-300 | head -n 300
sed -n '/^=* SUMMARY =*$/,$p' "$out/output.txt"
log "schemathesis exited $status after $(( $(date +%s) - started )) s (full output: $out/output.txt)"
(( status == 124 )) && log "killed at the wall-clock bound"
exit $status

#!/usr/bin/env bash
# `npm run up`: the whole platform in the foreground. Installs what is missing, starts
# NATS (JetStream) and Redis unless NATS_URL/REDIS_URL are given, the local Kubernetes
# control plane unless KUBECONFIG/BOSUN_KUBECONFIG names a cluster, builds and starts
# all seven apps under supervision (an app that dies is restarted with back-off, and the
# console says so), and stops everything it started on Ctrl-C / SIGTERM.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/node-env.sh
source scripts/ensure-deps.sh
export PATH="$root/node_modules/.bin:$PATH"
state=$root/.bosun/up
mkdir -p "$state"
say() { printf '\033[1m[bosun]\033[0m %s\n' "$*"; }

# Secrets: from the environment, else generated once and kept in .bosun/.
secret() { # var file
  local var=$1 file=$root/.bosun/$2
  if [[ -z ${!var:-} ]]; then
    [[ -s $file ]] || (umask 077 && openssl rand -hex 32 > "$file")
    export "$var=$(cat "$file")"
  fi
}
secret BOSUN_ADMIN_TOKEN admin-token
secret BOSUN_SLACK_SIGNING_SECRET slack-signing-secret
secret BOSUN_WEBHOOK_SECRET webhook-secret
secret BOSUN_INTERNAL_TOKEN internal-token
secret BOSUN_ENCRYPTION_KEY encryption-key

started_infra=false started_cluster=false
cleanup() {
  trap - INT TERM EXIT
  say "stopping"
  if [[ -f $state/pids ]]; then
    mapfile -t pids < "$state/pids"
    if (( ${#pids[@]} )); then
      kill "${pids[@]}" 2>/dev/null || true
      # A supervisor stops its app (TERM, KILL after 10 s) before it exits: give it the time,
      # so that no app outlives it.
      for _ in $(seq 1 120); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.1; done
      kill -0 "${pids[@]}" 2>/dev/null && kill -9 "${pids[@]}" 2>/dev/null || true
    fi
    rm -f "$state/pids"
  fi
  $started_infra && bash scripts/infra.sh stop up
  $started_cluster && node tools/testenv/launcher/down.mjs
  say "stopped"
}
trap cleanup INT TERM EXIT

if [[ -z ${NATS_URL:-} || -z ${REDIS_URL:-} ]]; then
  bash scripts/infra.sh stop up >/dev/null 2>&1 || true
  bash scripts/infra.sh start up "${BOSUN_NATS_PORT:-4222}" "${BOSUN_REDIS_PORT:-6379}"
  started_infra=true
  export NATS_URL=${NATS_URL:-nats://127.0.0.1:${BOSUN_NATS_PORT:-4222}} REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${BOSUN_REDIS_PORT:-6379}}
fi
# Each app is its own NATS principal (ADR 0005): the seeds infra.sh made for the NATS it
# started, or, for a NATS of yours, a directory of <app>.nk files rendered by tools/nats-auth.
nats_auth=${BOSUN_NATS_AUTH_DIR:-$state/nats-auth}
[[ -d $nats_auth ]] || { say "no NATS credentials in $nats_auth: set BOSUN_NATS_AUTH_DIR (node tools/nats-auth/render.mjs DIR makes them)"; exit 1; }
if [[ -z ${BOSUN_KUBECONFIG:-} && -z ${KUBECONFIG:-} ]]; then
  # A cluster that was already up (npm run testenv:up) is left running on exit.
  [[ -f .bosun/testenv.json ]] || started_cluster=true
  node tools/testenv/launcher/up.mjs
  export BOSUN_KUBECONFIG=$root/.bosun/kubeconfig
  export BOSUN_CLUSTER_DNS=${BOSUN_CLUSTER_DNS:-$(node -p "require('./.bosun/testenv.json').dns")}
fi
# The local stack posts chat replies to loopback receivers too (demos, tests).
export BOSUN_CHAT_RESPONSE_URLS=${BOSUN_CHAT_RESPONSE_URLS:-https://hooks.slack.com,http://127.0.0.1:*,http://localhost:*}
export BOSUN_GATEWAY_PORT=${BOSUN_GATEWAY_PORT:-8080} BOSUN_CHATOPS_PORT=${BOSUN_CHATOPS_PORT:-8081}

say "building"
npm run -s build
: > "$state/pids"
# Each app under scripts/supervise.sh: started again with back-off when it exits, like
# `restart: unless-stopped` or a kubelet; the console says so.
for app in provisioner deployer autoscaler storage dns-inspector gateway chatops; do
  app_env=()
  if [[ $app != chatops ]]; then app_env+=("NATS_NKEY_SEED_FILE=$nats_auth/$app.nk"); fi
  if [[ $app == autoscaler ]]; then app_env+=("BOSUN_QUEUE_READER_NKEY_SEED_FILE=$nats_auth/queue-reader.nk"); fi
  bash scripts/supervise.sh "$app" -- env "${app_env[@]}" node --enable-source-maps "dist/apps/$app/src/main.js" &
  echo $! >> "$state/pids"
done

url=http://127.0.0.1:$BOSUN_GATEWAY_PORT
for _ in $(seq 1 120); do
  if curl -fs "$url/readyz?services=all" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
if curl -fs "$url/readyz?services=all" >/dev/null 2>&1; then
  say "ready: gateway $url (docs $url/docs), chat hooks http://127.0.0.1:$BOSUN_CHATOPS_PORT"
else
  say "not ready yet: $(curl -s "$url/readyz?services=all" | head -c 400)"
fi
say "admin token in .bosun/admin-token — try:"
say "  curl -H \"Authorization: Bearer \$(cat .bosun/admin-token)\" $url/v1/whoami"
say "Ctrl-C stops everything."
wait

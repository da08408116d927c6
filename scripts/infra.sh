#!/usr/bin/env bash
# NATS (JetStream) and Redis on loopback for `npm run up` and `npm test`.
#
#   scripts/infra.sh ensure              install what is missing (apt redis-server, nats-server from the Go proxy)
#   scripts/infra.sh start NAME NPORT RPORT   start both with data under .bosun/NAME/, wait until they answer
#   scripts/infra.sh stop NAME            stop what `start NAME` started
#   scripts/infra.sh stop-redis|start-redis|stop-nats|start-nats NAME   (tests restart them)
#   scripts/infra.sh kill-nats|kill-redis NAME   SIGKILL (the fault campaign)
#
# NATS requires an nkey per principal (ADR 0005): the seeds are in .bosun/NAME/nats-auth/<principal>.nk.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
NATS_SERVER_VERSION=v2.15.2
cache=${BOSUN_CACHE:-$HOME/.cache/bosun}
nats_bin=$cache/bin/nats-server-$NATS_SERVER_VERSION
log() { printf '[bosun:infra] %s\n' "$*" >&2; }
source "$root/scripts/node-env.sh"

ensure() {
  if ! command -v redis-server >/dev/null; then
    log "installing redis-server from Debian"
    apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null
    # Debian starts a system redis on 6379; Bosun runs its own instances.
    (systemctl disable --now redis-server 2>/dev/null || service redis-server stop 2>/dev/null || pkill -x redis-server || true) >/dev/null 2>&1
  fi
  if [[ ! -x $nats_bin ]]; then
    log "building nats-server $NATS_SERVER_VERSION from the Go module proxy"
    mkdir -p "$cache/bin"
    GOBIN=$cache/bin/.nats-$$ CGO_ENABLED=0 go install "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION"
    mv "$cache/bin/.nats-$$/nats-server" "$nats_bin" && rmdir "$cache/bin/.nats-$$"
  fi
}

state() { echo "$root/.bosun/$1"; }

wait_port() { # name port
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "$1 did not open 127.0.0.1:$2; see its log under .bosun/"; return 1
}

start_nats() { # name port
  local d; d=$(state "$1"); mkdir -p "$d/nats"
  echo "$2" > "$d/nats.port"
  # Authenticated, per-principal permissions (ADR 0005): seeds made once in nats-auth/,
  # the server's accounts file (public keys only) rewritten from tools/nats-auth each start.
  node "$root/tools/nats-auth/render.mjs" "$d/nats-auth"
  setsid "$nats_bin" -c "$d/nats-auth/accounts.conf" -a 127.0.0.1 -p "$2" -js -sd "$d/nats" -l "$d/nats.log" </dev/null >>"$d/nats.out" 2>&1 &
  echo $! > "$d/nats.pid"
  wait_port nats "$2"
}

start_redis() { # name port
  local d; d=$(state "$1"); mkdir -p "$d/redis"
  echo "$2" > "$d/redis.port"
  # appendonly: operation state and the audit log live here and must survive a restart.
  setsid redis-server --bind 127.0.0.1 --port "$2" --dir "$d/redis" --appendonly yes --appendfsync everysec \
    --save '' --daemonize no --logfile "$d/redis.log" --protected-mode yes </dev/null >>"$d/redis.out" 2>&1 &
  echo $! > "$d/redis.pid"
  wait_port redis "$2"
}

kill_one() { # name which — SIGKILL: a crash, as the fault campaign makes
  local f; f=$(state "$1")/$2.pid
  [[ -f $f ]] || return 0
  local pid; pid=$(cat "$f")
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$f"
}

stop_one() { # name which
  local f; f=$(state "$1")/$2.pid
  [[ -f $f ]] || return 0
  local pid; pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

cmd=${1:-}; shift || true
case $cmd in
  ensure) ensure ;;
  start) ensure; start_nats "$1" "$2"; start_redis "$1" "$3"; log "nats 127.0.0.1:$2 (JetStream), redis 127.0.0.1:$3 up" ;;
  stop) stop_one "$1" nats; stop_one "$1" redis ;;
  stop-nats) stop_one "$1" nats ;;
  stop-redis) stop_one "$1" redis ;;
  kill-nats) kill_one "$1" nats ;;
  kill-redis) kill_one "$1" redis ;;
  start-nats) start_nats "$1" "$(cat "$(state "$1")/nats.port")" ;;
  start-redis) start_redis "$1" "$(cat "$(state "$1")/redis.port")" ;;
  *) echo "usage: $0 ensure|start NAME NATS_PORT REDIS_PORT|stop NAME|stop-nats|start-nats|stop-redis|start-redis|kill-nats|kill-redis NAME" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# scripts/supervise.sh NAME -- COMMAND...: runs COMMAND (with this environment) and starts
# it again whenever it exits. `npm run up` (scripts/up.sh) runs one per app; the test is
# e2e/up/supervise.e2e.ts.
# Like `restart: unless-stopped` or a kubelet: a command that exits is started again after a
# back-off (1 s doubling to 30 s, back to 1 s once it stayed up a minute), and the console
# says so (`[bosun] NAME exited with status N; restarting in Xs`); its stdout and stderr
# lines are prefixed `[NAME] `. SIGTERM or SIGINT stops it (TERM, KILL if it is still there
# after 10 s) without starting it again, and the supervisor exits 0.
set -uo pipefail
(( $# >= 3 )) && [[ $2 == -- ]] || { echo "usage: $0 NAME -- COMMAND..." >&2; exit 2; }
name=$1
shift 2
say() { printf '\033[1m[bosun]\033[0m %s\n' "$*"; }
prefix=$(printf '%s' "$name" | sed 's/[\/&]/\\&/g') # NAME as a sed replacement

stop() {
  trap '' TERM INT
  # Every background job: the command, or the back-off sleep — also one started just as
  # the signal came, before its pid was kept anywhere.
  local pids i
  pids=$(jobs -p)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086 # one word per pid
    kill -TERM $pids 2>/dev/null
    # shellcheck disable=SC2086
    for (( i = 0; i < 100; i++ )); do kill -0 $pids 2>/dev/null || break; sleep 0.1; done
    # shellcheck disable=SC2086
    if kill -0 $pids 2>/dev/null; then
      say "$name did not stop within 10s of SIGTERM; killing it"
      kill -KILL $pids 2>/dev/null
    fi
  fi
  wait 2>/dev/null
  exit 0
}
trap stop TERM INT

delay=1 max_delay=30 reset_after=60
while :; do
  since=$SECONDS
  "$@" > >(sed -u "s/^/[$prefix] /") 2> >(sed -u "s/^/[$prefix] /" >&2) &
  status=0
  wait $! 2>/dev/null || status=$? # (bash would add its own "Killed" line)
  if (( SECONDS - since >= reset_after )); then delay=1; fi
  say "$name exited with status $status; restarting in ${delay}s"
  sleep "$delay" &
  wait $!
  delay=$(( delay * 2 > max_delay ? max_delay : delay * 2 ))
done

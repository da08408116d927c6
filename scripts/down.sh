#!/usr/bin/env bash
# `npm run down`: stops whatever `npm run up` left running.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/node-env.sh
if [[ -f .bosun/up/pids ]]; then
  while read -r pid; do kill "$pid" 2>/dev/null || true; done < .bosun/up/pids
  rm -f .bosun/up/pids
fi
pkill -f "$root/dist/apps/.*/src/main.js" 2>/dev/null || true
bash scripts/infra.sh stop up
node tools/testenv/launcher/down.mjs
echo "[bosun] down"

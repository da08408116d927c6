#!/usr/bin/env bash
# Runs a command with Node 24 and the workspace's binaries first on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/node-env.sh"
export PATH="$root/node_modules/.bin:$PATH"
exec "$@"

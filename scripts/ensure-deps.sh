# Sourced: installs npm dependencies when node_modules is missing or older than the lockfile.
__root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ! -f $__root/node_modules/.bosun-installed || $__root/package-lock.json -nt $__root/node_modules/.bosun-installed ]]; then
  echo "[bosun] installing npm dependencies (npm ci)" >&2
  (cd "$__root" && npm ci --no-audit --no-fund --loglevel=error >&2) && touch "$__root/node_modules/.bosun-installed"
fi
unset __root

# Sourced: installs npm dependencies when node_modules is missing or older than the lockfile.
# `npm install` rather than `npm ci`: this machine's npm writes lockfiles without resolved
# URLs (omit-lockfile-registry-resolved), and `npm ci` then rejects the optional
# per-platform packages (@swc/core-*) as "missing from lock file". `npm install` installs
# exactly the locked versions and leaves the lockfile unchanged.
__root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ! -f $__root/node_modules/.bosun-installed || $__root/package-lock.json -nt $__root/node_modules/.bosun-installed ]]; then
  echo "[bosun] installing npm dependencies from package-lock.json" >&2
  (cd "$__root" && npm install --no-audit --no-fund --loglevel=error >&2) && touch "$__root/node_modules/.bosun-installed"
fi
unset __root

#!/usr/bin/env bash
# Schemathesis (PyPI), pinned, in a venv cached outside the work tree. Built only when
# missing (into a temporary folder, moved into place when complete, so an interrupted
# install is never taken for a finished one). Prints the path of its `st` command.
#
#   bash scripts/ensure-schemathesis.sh     → ~/.cache/bosun/schemathesis-4.32.5/bin/st
set -euo pipefail
SCHEMATHESIS_VERSION=4.32.5
cache=${BOSUN_CACHE:-$HOME/.cache/bosun}
venv=$cache/schemathesis-$SCHEMATHESIS_VERSION
log() { printf '[bosun:schemathesis] %s\n' "$*" >&2; }

if [[ ! -x $venv/bin/st ]]; then
  command -v python3 >/dev/null || { log "installing python3 from Debian"; apt-get update -qq >/dev/null && apt-get install -y -qq python3 >/dev/null; }
  tmp=$cache/.schemathesis-$$
  rm -rf "$tmp" && mkdir -p "$cache"
  if ! python3 -m venv "$tmp" >/dev/null 2>&1; then
    # Debian's python3 ships venv (and ensurepip) separately.
    log "installing python3-venv from Debian"
    rm -rf "$tmp"
    apt-get update -qq >/dev/null && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$tmp"
  fi
  log "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  "$tmp/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  # A venv's scripts name their interpreter by absolute path: rebuild them for the final place.
  rm -rf "$venv" && mv "$tmp" "$venv"
  sed -i "1s|^#!$tmp/bin/|#!$venv/bin/|" "$venv"/bin/*
  sed -i "s|$tmp|$venv|g" "$venv/bin/activate" "$venv/pyvenv.cfg" 2>/dev/null || true
fi
echo "$venv/bin/st"

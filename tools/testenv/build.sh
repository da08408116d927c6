#!/usr/bin/env bash
# Builds the local Kubernetes control plane from upstream Go modules (no Docker, no
# prebuilt downloads) into a cache outside the work tree, and builds only what is
# missing. Prints the binary directory on the last line of stdout.
#
#   tools/testenv/build.sh            # build what is missing
#   BOSUN_CACHE=/somewhere build.sh   # another cache root (default ~/.cache/bosun)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache=${BOSUN_CACHE:-$HOME/.cache/bosun}/testenv
bin=$cache/bin
work=$cache/work
mkdir -p "$bin" "$work"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

log() { printf '[testenv:build] %s\n' "$*" >&2; }

# build NAME VERSION DIR PKG -- builds one binary into $bin/NAME-VERSION unless present.
build() {
  local name=$1 version=$2 dir=$3 pkg=$4 out="$bin/$1-$2" started
  if [[ -x $out ]]; then log "$name $version: cached"; return; fi
  started=$(date +%s)
  log "$name $version: building $pkg (this is the slow part on a cold cache)"
  (cd "$dir" && go build -trimpath -tags selinux,notest,grpcnotrace \
      -ldflags "${LDFLAGS:-} -s -w" -o "$out.tmp" "$pkg")
  mv "$out.tmp" "$out"
  log "$name $version: built in $(( $(date +%s) - started ))s"
}

# k8s.io/kubernetes replaces its staging modules with ./staging paths, which a
# dependent module cannot use; our wrapper maps each to its published v0.X.Y.
kube_module() {
  local dir=$work/kubernetes-$KUBERNETES_VERSION staging=v0${KUBERNETES_VERSION#v1}
  if [[ ! -f $dir/go.mod ]]; then
    mkdir -p "$dir"
    local upstream
    upstream=$(curl -fsSL "${GOPROXY_URL:-https://proxy.golang.org}/k8s.io/kubernetes/@v/$KUBERNETES_VERSION.mod")
    {
      echo "module bosun.local/testenv/kubernetes"
      echo "$upstream" | grep -E '^go [0-9]'
      echo "$upstream" | grep -E '^godebug ' || true
      echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
      echo "replace ("
      echo "$upstream" | sed -n '/^replace (/,/^)/p' | grep '=> ./staging' |
        awk -v v="$staging" '{print "\t" $1 " => " $1 " " v}'
      echo ")"
    } > "$dir/go.mod.tmp"
    mv "$dir/go.mod.tmp" "$dir/go.mod"
  fi
  echo "$dir"
}

kube_ldflags() {
  local p=k8s.io/component-base/version m=${KUBERNETES_VERSION#v}
  local major=${m%%.*} rest=${m#*.}; local minor=${rest%%.*}
  echo "-X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z \
-X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/client-go/pkg/version.gitMajor=$major -X k8s.io/client-go/pkg/version.gitMinor=$minor"
}

# A plain wrapper module for a tool whose main package lives in a module with replaces.
wrapper() {
  local name=$1 module=$2 version=$3 dir=$work/$1-$3
  if [[ ! -f $dir/go.mod ]]; then
    mkdir -p "$dir"
    printf 'module bosun.local/testenv/%s\n\ngo 1.26.0\n\nrequire %s %s\n' "$name" "$module" "$version" > "$dir/go.mod"
  fi
  echo "$dir"
}

total=$(date +%s)
log "go $(go env GOVERSION), cache $cache"
etcd_dir=$(wrapper etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION")
build etcd "$ETCD_VERSION" "$etcd_dir" go.etcd.io/etcd/server/v3
kwok_dir=$(wrapper kwok sigs.k8s.io/kwok "$KWOK_VERSION")
build kwok "$KWOK_VERSION" "$kwok_dir" sigs.k8s.io/kwok/cmd/kwok
coredns_dir=$(wrapper coredns github.com/coredns/coredns "$COREDNS_VERSION")
build coredns "$COREDNS_VERSION" "$coredns_dir" github.com/coredns/coredns
ms_dir=$(wrapper metrics-server sigs.k8s.io/metrics-server "$METRICS_SERVER_VERSION")
build metrics-server "$METRICS_SERVER_VERSION" "$ms_dir" sigs.k8s.io/metrics-server/cmd/metrics-server
kube_dir=$(kube_module)
for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  LDFLAGS=$(kube_ldflags) build "$c" "$KUBERNETES_VERSION" "$kube_dir" "k8s.io/kubernetes/cmd/$c"
done
log "all binaries ready in $(( $(date +%s) - total ))s"
echo "$bin"

#!/usr/bin/env bash
# Validates Bosun's deployment artefacts: docker-compose.yml, deploy/Dockerfile,
# .dockerignore and the Helm chart in deploy/helm/bosun. Idempotent; meant for CI.
#
#   deploy/validate.sh
#
# Tools: docker-compose (Debian package, installed with apt-get when missing) and helm
# (PATH, else a cached `go install` under ~/.cache/bosun/tools/). Nothing is skipped
# silently: each check prints ok / FAIL / SKIPPED with the reason and, for a skip,
# the command that enables it. Exits non-zero when any check fails.
#
# Environment:
#   BOSUN_HELM_VERSION        helm to go-install when none is on PATH (default v3.22.0)
#   BOSUN_CACHE               cache root (default ~/.cache/bosun)
#   BOSUN_VALIDATE_BUILD      1: docker build all seven images (needs a Docker engine);
#                             0: do not; unset: build when an engine answers
#   BOSUN_VALIDATE_APISERVER  1: require the API-server check; 0: do not run it;
#                             unset: run it when the testenv binaries are built
# ok/skip never fail, so `check && ok || fail` is a safe if-then-else here; the
# single-quoted ${...} are literal patterns searched for in the Dockerfile.
# shellcheck disable=SC2015,SC2016
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cache=${BOSUN_CACHE:-$HOME/.cache/bosun}
helm_version=${BOSUN_HELM_VERSION:-v3.22.0}
chart=deploy/helm/bosun
apps=(gateway chatops provisioner deployer autoscaler storage dns-inspector)
failed=() skipped=() bg_pids=() tmp_paths=()

# Everything this script starts or creates is ended/removed by id and path on exit.
cleanup() {
  local pid i
  # Newest first (the API server before its etcd); SIGKILL after 10 s.
  for ((i = ${#bg_pids[@]} - 1; i >= 0; i--)); do
    pid=${bg_pids[i]}
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  ((${#tmp_paths[@]})) && rm -rf "${tmp_paths[@]}"
  return 0
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
ok() { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failed+=("$1"); }
skip() { printf '  SKIPPED  %s\n' "$*"; skipped+=("$1"); }
die() { printf 'validate: %s\n' "$*" >&2; exit 2; }
run_root() { if [[ $(id -u) == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# Dummy values for the compose file's required secrets (never used to run anything).
export BOSUN_ADMIN_TOKEN=validate-admin-token-0123456789 BOSUN_SLACK_SIGNING_SECRET=validate-slack-secret-0123456789 \
       BOSUN_WEBHOOK_SECRET=validate-webhook-secret-0123456789 BOSUN_INTERNAL_TOKEN=validate-internal-token-0123456789 \
       BOSUN_ENCRYPTION_KEY=validate-encryption-key-0123456789

# ---------------------------------------------------------------- tools
say "tools"
if ! command -v docker-compose >/dev/null; then
  echo "  docker-compose missing: installing Debian's package"
  run_root apt-get update -qq && run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null \
    || die "could not install docker-compose; run: sudo apt-get update && sudo apt-get install -y docker-compose"
fi
ok "$(docker-compose version --short 2>/dev/null || docker-compose version | head -1) ($(command -v docker-compose))"

# PyYAML for the structural checks: Debian's docker-compose depends on python3-yaml.
python=
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import yaml' 2>/dev/null; then python=$p; break; fi
done
[[ -n $python ]] || die "no python3 with PyYAML; run: sudo apt-get install -y python3-yaml"
ok "python with PyYAML: $python"

helm=
if command -v helm >/dev/null; then
  helm=$(command -v helm)
elif [[ -x $cache/tools/helm-$helm_version/helm ]]; then
  helm=$cache/tools/helm-$helm_version/helm
elif command -v go >/dev/null; then
  echo "  helm missing (not packaged by Debian): go install helm.sh/helm/v3/cmd/helm@$helm_version (about 2 minutes, cached)"
  mkdir -p "$cache/tools/helm-$helm_version"
  GOBIN=$cache/tools/helm-$helm_version CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    go install -trimpath -ldflags '-s -w' "helm.sh/helm/v3/cmd/helm@$helm_version" \
    || die "go install of helm failed; retry: GOBIN=$cache/tools/helm-$helm_version go install helm.sh/helm/v3/cmd/helm@$helm_version"
  helm=$cache/tools/helm-$helm_version/helm
else
  die "helm not found and no Go toolchain to build it. Fix with one of:
  GOBIN=$cache/tools/helm-$helm_version go install helm.sh/helm/v3/cmd/helm@$helm_version   (needs Go)
  or install helm from https://helm.sh/docs/intro/install/ onto PATH"
fi
ok "helm $("$helm" version --short 2>/dev/null) ($helm)"

# ---------------------------------------------------------------- compose
say "docker-compose.yml"
if docker-compose -f docker-compose.yml config -q; then
  ok "docker-compose config -q (with the five required secrets set)"
else
  fail "docker-compose config -q"
fi
for var in BOSUN_ADMIN_TOKEN BOSUN_SLACK_SIGNING_SECRET BOSUN_WEBHOOK_SECRET BOSUN_INTERNAL_TOKEN BOSUN_ENCRYPTION_KEY; do
  if out=$(env -u "$var" docker-compose -f docker-compose.yml config -q 2>&1); then
    fail "config without $var should be refused"
  elif grep -q "set $var" <<<"$out"; then
    ok "config without $var is refused, naming $var"
  else
    fail "config without $var failed for another reason: $out"
  fi
done
if docker-compose -f docker-compose.yml config | "$python" deploy/validate_checks.py compose; then
  ok "compose structure"
else
  fail "compose structure"
fi
mapfile -t k3s_manifests < <(grep -o '\./deploy/compose/[^:]*' docker-compose.yml | sort -u)
for f in "${k3s_manifests[@]}"; do
  if [[ -f $f ]] && "$python" -c 'import sys, yaml; [d for d in yaml.safe_load_all(open(sys.argv[1]))]' "$f"; then
    ok "k3s manifest $f exists and parses"
  else
    fail "k3s manifest $f missing or not YAML"
  fi
done

# ---------------------------------------------------------------- Dockerfile
say "deploy/Dockerfile and .dockerignore"
df=deploy/Dockerfile
stages=$(grep -oiE '^FROM [^ ]+ AS [a-z]+' "$df" | awk '{print $4}' | xargs)
[[ $stages == "deps build runtime" ]] && ok "stages: $stages" || fail "stages are deps build runtime (got: $stages)"
runtime=$(sed -n '/^FROM .* AS runtime/,$p' "$df")
grep -q 'npm ci --omit=dev' <<<"$runtime" && ok "runtime: npm ci --omit=dev" || fail "runtime stage runs npm ci --omit=dev"
grep -q '^USER node' <<<"$runtime" && ok "runtime: USER node" || fail "runtime stage runs as node"
grep -q '^ARG APP' <<<"$runtime" && ! sed -n '1,/^FROM .* AS runtime/p' "$df" | grep -q '^ARG APP' \
  && ok "ARG APP only in the runtime stage (deps/build layers shared by all apps)" \
  || fail "ARG APP declared only in the runtime stage"
grep -q '^ENV BOSUN_APP=\${APP}' <<<"$runtime" && grep -q 'dist/apps/\${BOSUN_APP}/src/main.js' <<<"$runtime" \
  && ok "CMD runs dist/apps/\$BOSUN_APP/src/main.js (ARG carried by ENV)" || fail "CMD uses the app name from ENV"
grep -q 'npm run build' "$df" && ok "build stage: npm run build" || fail "build stage runs npm run build"
for p in node_modules dist .bosun .git coverage; do
  grep -qx "$p" .dockerignore && ok ".dockerignore: $p" || fail ".dockerignore excludes $p"
done
for app in "${apps[@]}"; do
  if [[ ! -f apps/$app/src/main.ts ]]; then
    echo "  note  apps/$app/src/main.ts does not exist yet: its image cannot build until it does"
  fi
done
engine=no
docker info >/dev/null 2>&1 && engine=yes
case ${BOSUN_VALIDATE_BUILD:-auto} in
  0) skip "docker build" "(BOSUN_VALIDATE_BUILD=0)" ;;
  1|auto)
    if [[ $engine == yes ]]; then
      for app in "${apps[@]}"; do
        if docker build -q -f "$df" --build-arg "APP=$app" -t "bosun/$app:validate" . >/dev/null; then
          ok "docker build APP=$app"
        else
          fail "docker build APP=$app"
        fi
      done
    elif [[ ${BOSUN_VALIDATE_BUILD:-auto} == 1 ]]; then
      fail "docker build (BOSUN_VALIDATE_BUILD=1 but no Docker engine answers 'docker info')"
    else
      skip "docker build" "(no Docker engine here; on a machine with one: docker build -f deploy/Dockerfile --build-arg APP=gateway .)"
    fi ;;
esac

# ---------------------------------------------------------------- helm
say "Helm chart $chart"
"$helm" lint --strict "$chart" >/tmp/bosun-helm-lint.$$ 2>&1 && ok "helm lint --strict (default values)" \
  || { cat /tmp/bosun-helm-lint.$$; fail "helm lint --strict"; }
variant=(--set secrets.existingSecret=bosun-tokens --set 'rbac.impersonation.groups={team-a,team-b}'
         --set kubeconfig.existingSecret=bosun-kubeconfig --set clusterDNS=10.96.0.10:53
         --set redis.existingSecret.name=bosun-redis --set apps.gateway.replicas=3)
"$helm" lint --strict "$chart" "${variant[@]}" >/tmp/bosun-helm-lint.$$ 2>&1 && ok "helm lint --strict (existingSecret, restricted impersonation, external kubeconfig)" \
  || { cat /tmp/bosun-helm-lint.$$; fail "helm lint --strict (variant values)"; }
rm -f /tmp/bosun-helm-lint.$$
rendered=$(mktemp) rendered_variant=$(mktemp)
tmp_paths+=("$rendered" "$rendered_variant")
if "$helm" template bosun "$chart" --namespace bosun >"$rendered" \
   && "$python" deploy/validate_checks.py helm <"$rendered"; then
  ok "helm template (default values): structure and RBAC"
else
  fail "helm template (default values): structure and RBAC"
fi
if "$helm" template bosun "$chart" --namespace bosun "${variant[@]}" >"$rendered_variant" \
   && "$python" deploy/validate_checks.py helm-existing-secret bosun-tokens <"$rendered_variant"; then
  ok "helm template (variant values): structure and RBAC"
else
  fail "helm template (variant values): structure and RBAC"
fi

# ---------------------------------------------------------------- API server
# The rendered chart applied to a throwaway kube-apiserver (the testenv's own binaries):
# schema validation by the real API, then `kubectl auth can-i` as Bosun's service
# account to prove the RBAC grants exactly what deploy/README.md says.
say "rendered chart against a real kube-apiserver"
# shellcheck disable=SC1091  # owned by tools/testenv; only KUBERNETES_VERSION and ETCD_VERSION are used
if [[ -f tools/testenv/versions.env ]]; then source tools/testenv/versions.env; fi
bin=$cache/testenv/bin
etcd=$bin/etcd-${ETCD_VERSION:-none} apiserver=$bin/kube-apiserver-${KUBERNETES_VERSION:-none}
kubectl=$bin/kubectl-${KUBERNETES_VERSION:-none}
apiserver_check() {
  local dir etcd_port peer_port api_port sa=system:serviceaccount:bosun:bosun
  dir=$(mktemp -d)
  tmp_paths+=("$dir")
  read -r etcd_port peer_port api_port < <("$python" -c '
import socket; s=[socket.socket() for _ in range(3)]; [x.bind(("127.0.0.1",0)) for x in s]; print(*[x.getsockname()[1] for x in s])')
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
  echo "validate-token,validate-admin,validate-admin,system:masters" >"$dir/tokens.csv"
  "$etcd" --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "default=http://127.0.0.1:$peer_port" \
    --log-level error >"$dir/etcd.log" 2>&1 &
  bg_pids+=($!)
  "$apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" --bind-address 127.0.0.1 --secure-port "$api_port" \
    --cert-dir "$dir/certs" --token-auth-file "$dir/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$dir/sa.key" \
    --service-account-signing-key-file "$dir/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
    --advertise-address 127.0.0.1 >"$dir/apiserver.log" 2>&1 &
  bg_pids+=($!)
  k() { "$kubectl" --server "https://127.0.0.1:$api_port" --token validate-token --insecure-skip-tls-verify "$@"; }
  for _ in $(seq 1 60); do k get --raw /readyz >/dev/null 2>&1 && break; sleep 1; done
  if ! k get --raw /readyz >/dev/null 2>&1; then
    tail -20 "$dir/apiserver.log"; fail "kube-apiserver did not become ready"; return
  fi
  ok "kube-apiserver $KUBERNETES_VERSION up on 127.0.0.1:$api_port"
  k create namespace bosun >/dev/null || { fail "create namespace bosun"; return; }
  if k apply --dry-run=server -f "$rendered_variant" >/dev/null; then
    ok "variant render accepted by the API server (dry run)"
  else
    fail "variant render rejected by the API server"
  fi
  if k apply -f "$rendered" >/dev/null; then
    ok "default render applied (schema-validated by the API server)"
  else
    fail "default render rejected by the API server"; return
  fi
  # can VERB RESOURCE [ARGS...] EXPECT
  can() {
    local expect=${*: -1} args=("${@:1:$#-1}") got
    got=$(k auth can-i --as "$sa" "${args[@]}" 2>/dev/null || true)
    if [[ $got == "$expect" ]]; then ok "service account: can-i ${args[*]} -> $got"; else fail "service account: can-i ${args[*]} -> $got, want $expect"; fi
  }
  can impersonate users yes
  can impersonate groups yes
  can impersonate serviceaccounts no
  can list pods --all-namespaces yes
  can watch deployments.apps --all-namespaces yes
  can watch endpointslices.discovery.k8s.io --all-namespaces yes
  can list poddisruptionbudgets.policy --all-namespaces yes
  can list horizontalpodautoscalers.autoscaling --all-namespaces yes
  can watch storageclasses.storage.k8s.io yes
  can create persistentvolumes yes
  can delete persistentvolumes yes
  can patch persistentvolumes yes
  can patch persistentvolumeclaims --subresource=status -n default yes
  can patch persistentvolumeclaims -n default no
  can create leases.coordination.k8s.io -n kube-system yes
  can create leases.coordination.k8s.io -n default no
  can create events -n default yes
  can create storageclasses.storage.k8s.io yes
  can patch storageclasses.storage.k8s.io no
  can create secrets -n kube-system yes
  can get secrets -n kube-system no
  can patch secrets -n kube-system no
  can create secrets -n default no
  can list secrets --all-namespaces no
  can create deployments.apps -n default no
  can patch deployments.apps -n default no
  can delete pods -n default no
  can create pods/eviction -n default no
  can patch nodes no
  can create namespaces no
}
case ${BOSUN_VALIDATE_APISERVER:-auto} in
  0) skip "API-server check" "(BOSUN_VALIDATE_APISERVER=0)" ;;
  *)
    if [[ -x $etcd && -x $apiserver && -x $kubectl ]] && command -v openssl >/dev/null; then
      apiserver_check
    elif [[ ${BOSUN_VALIDATE_APISERVER:-auto} == 1 ]]; then
      fail "API-server check: testenv binaries missing in $bin (run: npm run testenv:build)"
    else
      skip "API-server check" "(no testenv binaries in $bin; enable with: npm run testenv:build)"
    fi ;;
esac

# ---------------------------------------------------------------- summary
say "summary"
if ((${#skipped[@]})); then printf '  skipped: %s\n' "${skipped[@]}"; fi
if ((${#failed[@]})); then
  printf '  FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "  all checks passed"

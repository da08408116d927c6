#!/usr/bin/env bash
# Validates Bosun's deployment artefacts: docker-compose.yml, deploy/Dockerfile,
# .dockerignore, the NATS credentials and accounts block (ADR 0005) and the Helm chart in
# deploy/helm/bosun, with each app's RBAC proven both ways against a real kube-apiserver.
# Idempotent; meant for CI.
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

# Node 24 (scripts/node-env.sh) for the NATS permission matrix and its renderers.
# shellcheck disable=SC1091
source scripts/node-env.sh
[[ -f node_modules/@nats-io/nkeys/package.json ]] || die "node_modules/@nats-io/nkeys missing; run: npm ci"
ok "node $(node --version) with @nats-io/nkeys"
# The NATS principals (every app with a seed), from the one matrix.
principals=$(node -e 'process.stdout.write(require("./tools/nats-auth/permissions.cjs").PRINCIPALS.join(" "))')
ok "NATS principals (tools/nats-auth/permissions.cjs): $principals"

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
if docker-compose -f docker-compose.yml config | "$python" deploy/validate_checks.py compose "$principals"; then
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
grep -q '^COPY tools/nats-auth ./tools/nats-auth' <<<"$runtime" && ok "runtime: tools/nats-auth (compose's nats-auth one-shot runs it)" \
  || fail "runtime stage copies tools/nats-auth"
grep -qE '^RUN install -d -o node -g node -m 0700 /auth$' <<<"$runtime" \
  && ok "runtime: /auth owned by node, 0700 (a new nats-auth volume takes that owner)" || fail "runtime stage makes /auth, owned by node"
for p in node_modules dist .bosun .git coverage; do
  grep -qx "$p" .dockerignore && ok ".dockerignore: $p" || fail ".dockerignore excludes $p"
done
if grep -qxE '/?tools(/nats-auth)?/?|/?tools/\*' .dockerignore; then fail ".dockerignore keeps tools/nats-auth in the build context"; else ok ".dockerignore keeps tools/nats-auth in the build context"; fi
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

# ---------------------------------------------------------------- NATS
# ADR 0005: the seeds as the compose one-shot makes them, and the chart's accounts block,
# which must be the permission matrix's own rendering (so the two cannot drift).
say "NATS credentials and accounts (ADR 0005)"
nats_dir=$(mktemp -d)
tmp_paths+=("$nats_dir")
if node tools/nats-auth/render.mjs "$nats_dir/auth" && sum1=$(cat "$nats_dir"/auth/*.nk | sha256sum) \
   && node tools/nats-auth/render.mjs "$nats_dir/auth" && [[ $(cat "$nats_dir"/auth/*.nk | sha256sum) == "$sum1" ]]; then
  ok "tools/nats-auth/render.mjs DIR: seeds made once, kept on the next run (what compose's nats-auth does at every up)"
else
  fail "tools/nats-auth/render.mjs DIR makes the seeds once and keeps them"
fi
modes=$(stat -c '%a' "$nats_dir"/auth/*.nk 2>/dev/null | sort -u | xargs || true)
[[ $modes == 600 ]] && ok "seeds are mode 0600" || fail "seeds are mode 0600 (got $modes)"
if node deploy/nats-accounts.mjs chart-file | cmp -s - "$chart/files/nats-accounts.conf"; then
  ok "$chart/files/nats-accounts.conf is the matrix's rendering (node deploy/nats-accounts.mjs chart-file)"
else
  fail "$chart/files/nats-accounts.conf differs from the matrix; regenerate: node deploy/nats-accounts.mjs chart-file > $chart/files/nats-accounts.conf"
fi
nats_keys=$nats_dir/bosun-values.yaml
node deploy/nats-accounts.mjs bosun-values "$nats_dir/auth" >"$nats_keys" && node deploy/nats-accounts.mjs conf "$nats_dir/auth" >"$nats_dir/want.conf" \
  && node deploy/nats-accounts.mjs nats-values "$nats_dir/auth" >"$nats_dir/nats-values.yaml" || fail "deploy/nats-accounts.mjs renders"
if "$helm" template bosun "$chart" --namespace bosun -f "$nats_keys" --show-only templates/nats-accounts.yaml >"$nats_dir/cm.yaml" \
   && "$python" -c 'import sys, yaml; sys.stdout.write(yaml.safe_load(open(sys.argv[1]))["data"]["accounts.conf"])' "$nats_dir/cm.yaml" >"$nats_dir/chart.conf" \
   && cmp -s "$nats_dir/chart.conf" "$nats_dir/want.conf"; then
  ok "the chart's accounts ConfigMap (nats.auth.publicKeys) is byte-identical to the matrix's rendering for the same keys"
else
  fail "the chart's accounts ConfigMap differs from: node deploy/nats-accounts.mjs conf DIR"
fi
if "$python" - "$nats_dir/want.conf" "$nats_dir/nats-values.yaml" <<'PY'
import json, sys, yaml
conf = open(sys.argv[1]).read().split("\naccounts: ", 1)[1]
values = yaml.safe_load(open(sys.argv[2]))["config"]
sys.exit(0 if json.loads(conf) == values["merge"]["accounts"] and values["jetstream"]["enabled"] is True else 1)
PY
then
  ok "nats-io/nats chart values (config.merge.accounts, JetStream on): the same accounts"
else
  fail "deploy/nats-accounts.mjs nats-values: the same accounts as conf"
fi
nats_server=$(ls "$cache"/bin/nats-server-v* 2>/dev/null | sort -V | tail -1 || true)
if [[ -x $nats_server ]]; then
  if "$nats_server" -t -c "$nats_dir/chart.conf" >/dev/null 2>&1; then
    ok "nats-server $(basename "$nats_server" | sed 's/^nats-server-//') accepts the chart's accounts.conf (-t)"
  else
    "$nats_server" -t -c "$nats_dir/chart.conf" || true; fail "nats-server -t rejects the chart's accounts.conf"
  fi
else
  skip "nats-server -t on the accounts block" "(no nats-server in $cache/bin; scripts/infra.sh ensure builds it)"
fi

# ---------------------------------------------------------------- helm
say "Helm chart $chart"
"$helm" lint --strict "$chart" >/tmp/bosun-helm-lint.$$ 2>&1 && ok "helm lint --strict (default values)" \
  || { cat /tmp/bosun-helm-lint.$$; fail "helm lint --strict"; }
variant=(--set secrets.existingSecret=bosun-tokens --set 'rbac.impersonation.groups={team-a,team-b}'
         --set kubeconfig.existingSecret=bosun-kubeconfig --set clusterDNS=10.96.0.10:53
         --set redis.existingSecret.name=bosun-redis --set apps.gateway.replicas=3
         --set nats.auth.seeds.gateway.secretName=custom-nats-gateway -f "$nats_keys")
"$helm" lint --strict "$chart" "${variant[@]}" >/tmp/bosun-helm-lint.$$ 2>&1 && ok "helm lint --strict (existingSecret, restricted impersonation, external kubeconfig, NATS public keys)" \
  || { cat /tmp/bosun-helm-lint.$$; fail "helm lint --strict (variant values)"; }
"$helm" lint --strict "$chart" --set nats.auth.enabled=false >/tmp/bosun-helm-lint.$$ 2>&1 && ok "helm lint --strict (nats.auth.enabled=false)" \
  || { cat /tmp/bosun-helm-lint.$$; fail "helm lint --strict (nats.auth.enabled=false)"; }
if out=$("$helm" template bosun "$chart" --set nats.auth.publicKeys.gateway=not-a-key 2>&1); then
  fail "a malformed public key should fail the render"
elif grep -q 'nats.auth.publicKeys.gateway must be the public nkey' <<<"$out"; then
  ok "a malformed nats.auth.publicKeys entry fails the render, naming it"
else
  fail "a malformed public key failed the render for another reason: $out"
fi
rm -f /tmp/bosun-helm-lint.$$
rendered=$(mktemp) rendered_variant=$(mktemp)
tmp_paths+=("$rendered" "$rendered_variant")
if "$helm" template bosun "$chart" --namespace bosun >"$rendered" \
   && "$python" deploy/validate_checks.py helm "$principals" <"$rendered"; then
  ok "helm template (default values): structure and RBAC"
else
  fail "helm template (default values): structure and RBAC"
fi
if "$helm" template bosun "$chart" --namespace bosun "${variant[@]}" >"$rendered_variant" \
   && "$python" deploy/validate_checks.py helm "$principals" --existing-secret bosun-tokens --accounts --variant <"$rendered_variant"; then
  ok "helm template (variant values): structure and RBAC"
else
  fail "helm template (variant values): structure and RBAC"
fi

# ---------------------------------------------------------------- API server
# The rendered chart applied to a throwaway kube-apiserver (the testenv's own binaries):
# schema validation by the real API, then `kubectl auth can-i` as each app's service
# account, both ways, to prove the RBAC grants exactly what deploy/README.md says.
say "rendered chart against a real kube-apiserver"
# shellcheck disable=SC1091  # owned by tools/testenv; only KUBERNETES_VERSION and ETCD_VERSION are used
if [[ -f tools/testenv/versions.env ]]; then source tools/testenv/versions.env; fi
bin=$cache/testenv/bin
etcd=$bin/etcd-${ETCD_VERSION:-none} apiserver=$bin/kube-apiserver-${KUBERNETES_VERSION:-none}
kubectl=$bin/kubectl-${KUBERNETES_VERSION:-none}
apiserver_check() {
  local dir etcd_port peer_port api_port
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
  # Each app's own ServiceAccount, both ways: what its code does as itself it can, and
  # nothing else (deploy/README.md, "RBAC"). Everything else is done as the asker.
  # app | kubectl auth can-i arguments | expected. metrics.k8s.io is not served here, so
  # kubectl cannot resolve its resources: "sar VERB GROUP RESOURCE [NAMESPACE]" asks a
  # SubjectAccessReview instead.
  local rights=(
    "gateway|list pods --all-namespaces|no"
    "gateway|impersonate users|no"
    "gateway|watch deployments.apps --all-namespaces|no"
    "gateway|get configmaps/kube-root-ca.crt -n default|no"
    "gateway|create secrets -n kube-system|no"
    "gateway|create persistentvolumes|no"
    "chatops|list pods --all-namespaces|no"
    "chatops|impersonate groups|no"
    "chatops|get secrets -n bosun|no"
    "chatops|create events -n default|no"
    "provisioner|impersonate users|yes"
    "provisioner|impersonate groups|yes"
    "provisioner|impersonate serviceaccounts -n default|no"
    "provisioner|get configmaps/kube-root-ca.crt -n default|yes"
    "provisioner|get configmaps/cluster-info -n kube-public|yes"
    "provisioner|get configmaps/coredns -n kube-system|no"
    "provisioner|list configmaps -n kube-public|no"
    "provisioner|create secrets -n kube-system|no"
    "provisioner|get secrets -n kube-system|no"
    "provisioner|list pods --all-namespaces|no"
    "provisioner|list nodes|no"
    "provisioner|patch nodes|no"
    "provisioner|create pods/eviction -n default|no"
    "provisioner|create namespaces|no"
    "provisioner|create persistentvolumes|no"
    "deployer|impersonate users|yes"
    "deployer|impersonate groups|yes"
    "deployer|impersonate serviceaccounts -n default|no"
    "deployer|watch deployments.apps --all-namespaces|yes"
    "deployer|watch replicasets.apps --all-namespaces|yes"
    "deployer|list pods --all-namespaces|no"
    "deployer|list events -n default|no"
    "deployer|patch deployments.apps -n default|no"
    "deployer|create deployments.apps -n default|no"
    "deployer|delete deployments.apps -n default|no"
    "deployer|create persistentvolumes|no"
    "deployer|create secrets -n kube-system|no"
    "deployer|list secrets --all-namespaces|no"
    "autoscaler|impersonate users|yes"
    "autoscaler|impersonate groups|yes"
    "autoscaler|watch deployments.apps --all-namespaces|yes"
    "autoscaler|watch statefulsets.apps --all-namespaces|yes"
    "autoscaler|watch pods --all-namespaces|yes"
    "autoscaler|sar list metrics.k8s.io pods default|yes"
    "autoscaler|patch deployments.apps -n default|yes"
    "autoscaler|patch statefulsets.apps -n default|yes"
    "autoscaler|update deployments.apps -n default|no"
    "autoscaler|patch deployments.apps --subresource=scale -n default|no"
    "autoscaler|create horizontalpodautoscalers.autoscaling -n default|no"
    "autoscaler|sar list metrics.k8s.io nodes|no"
    "autoscaler|delete pods -n default|no"
    "autoscaler|create persistentvolumes|no"
    "autoscaler|get secrets -n default|no"
    "storage|impersonate users|yes"
    "storage|impersonate groups|yes"
    "storage|create persistentvolumes|yes"
    "storage|delete persistentvolumes|yes"
    "storage|patch persistentvolumes|yes"
    "storage|watch persistentvolumeclaims --all-namespaces|yes"
    "storage|patch persistentvolumeclaims --subresource=status -n default|yes"
    "storage|patch persistentvolumeclaims -n default|no"
    "storage|create events -n default|yes"
    "storage|get nodes|yes"
    "storage|list nodes|no"
    "storage|patch nodes|no"
    "storage|watch storageclasses.storage.k8s.io|yes"
    "storage|create storageclasses.storage.k8s.io/local-path|yes"
    "storage|patch storageclasses.storage.k8s.io/local-path|yes"
    "storage|create storageclasses.storage.k8s.io|no"
    "storage|patch storageclasses.storage.k8s.io/standard|no"
    "storage|delete storageclasses.storage.k8s.io/local-path|no"
    "storage|create leases.coordination.k8s.io -n kube-system|yes"
    "storage|patch leases.coordination.k8s.io/bosun-local-path -n kube-system|yes"
    "storage|patch leases.coordination.k8s.io/kube-scheduler -n kube-system|no"
    "storage|create leases.coordination.k8s.io -n default|no"
    "storage|create pods -n kube-system|yes"
    "storage|delete pods -n kube-system|yes"
    "storage|create pods -n default|no"
    "storage|list pods --all-namespaces|no"
    "storage|create secrets -n kube-system|no"
    "storage|get secrets -n kube-system|no"
    "storage|create deployments.apps -n default|no"
    "dns-inspector|impersonate users|yes"
    "dns-inspector|impersonate groups|yes"
    "dns-inspector|impersonate serviceaccounts -n default|no"
    "dns-inspector|list pods -n kube-system|no"
    "dns-inspector|get services -n kube-system|no"
    "dns-inspector|get configmaps/coredns -n kube-system|no"
    "dns-inspector|list endpointslices.discovery.k8s.io --all-namespaces|no"
    "dns-inspector|create persistentvolumes|no"
  )
  sar() { # user verb group resource [namespace]
    local allowed
    allowed=$(printf '{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"%s","groups":["system:serviceaccounts","system:serviceaccounts:bosun","system:authenticated"],"resourceAttributes":{"verb":"%s","group":"%s","resource":"%s","namespace":"%s"}}}' \
      "$1" "$2" "$3" "$4" "${5:-}" | k create -o 'jsonpath={.status.allowed}' -f - 2>/dev/null) || return 0
    [[ $allowed == true ]] && echo yes || echo no
  }
  local line app args want got
  for line in "${rights[@]}"; do
    IFS='|' read -r app args want <<<"$line"
    if [[ $args == sar\ * ]]; then
      # shellcheck disable=SC2086  # args is a list of words
      got=$(sar "system:serviceaccount:bosun:bosun-$app" ${args#sar })
    else
      # shellcheck disable=SC2086
      got=$(k auth can-i --as "system:serviceaccount:bosun:bosun-$app" $args 2>/dev/null || true)
    fi
    local what="can-i $args"
    [[ $args == sar\ * ]] && what="SubjectAccessReview ${args#sar }"
    if [[ $got == "$want" ]]; then ok "$app: $what -> $got"; else fail "$app: $what -> ${got:-error}, want $want"; fi
  done

  # Real requests as the accounts (server-side dry runs change nothing): server-side apply
  # creating the local-path class needs create and patch of that name, which can-i alone
  # does not show; the hand-off annotation is the autoscaler's, not the deployer's.
  request() { # app want(ok|Forbidden) what... -- kubectl args
    local app=$1 want=$2 what=$3 out; shift 3
    if out=$(k --as "system:serviceaccount:bosun:bosun-$app" "$@" --dry-run=server 2>&1); then got=ok
    elif grep -q Forbidden <<<"$out"; then got=Forbidden; else got="error: $out"; fi
    if [[ $got == "$want" ]]; then ok "$app: $what -> $got"; else fail "$app: $what -> $got, want $want"; fi
  }
  class() { printf 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: %s}\nprovisioner: bosun.dev/local-path\nvolumeBindingMode: WaitForFirstConsumer\n' "$1"; }
  request storage ok "server-side apply of the local-path StorageClass" apply --server-side --field-manager=bosun -f <(class local-path)
  request storage Forbidden "server-side apply of another StorageClass" apply --server-side --field-manager=bosun -f <(class fast)
  k create deployment web --image=registry.invalid/web:1 -n default >/dev/null || fail "create deployment default/web (admin)"
  local handoff='{"metadata":{"annotations":{"autoscaling.bosun.dev/managed-by":"as-validate"}}}'
  request autoscaler ok "hand-off annotation on a Deployment" patch deployment web -n default --type=merge -p "$handoff"
  request deployer Forbidden "the same annotation as the deployer" patch deployment web -n default --type=merge -p "$handoff"

  # Acting as the asker from the account's own token (TokenRequest): the provisioner makes
  # a join token (a Secret in kube-system) only for someone allowed to; the gateway, which
  # has no right to impersonate, cannot act as anyone.
  k create role validate-join-tokens -n kube-system --verb=create --resource=secrets >/dev/null \
    && k create rolebinding validate-join-tokens -n kube-system --role=validate-join-tokens --user=validate-node-admin >/dev/null \
    || fail "bind validate-node-admin to create secrets in kube-system (admin)"
  as_asker() { # app user want
    local token out
    token=$(k create token "bosun-$1" -n bosun --duration=10m 2>/dev/null) || { fail "TokenRequest for bosun-$1"; return; }
    out=$("$kubectl" --server "https://127.0.0.1:$api_port" --token "$token" --insecure-skip-tls-verify --as "$2" \
      auth can-i create secrets -n kube-system 2>&1 || true)
    if [[ $out == "$3" ]] || { [[ $3 == refused ]] && grep -q 'cannot impersonate' <<<"$out"; }; then
      ok "$1 (own token) as $2: create secrets -n kube-system -> $3"
    else
      fail "$1 (own token) as $2: create secrets -n kube-system -> $out, want $3"
    fi
  }
  as_asker provisioner validate-node-admin yes
  as_asker provisioner validate-someone-else no
  as_asker gateway validate-node-admin refused
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

"""Structural checks of the rendered deployment artefacts, called by deploy/validate.sh.

  validate_checks.py compose  < `docker-compose config` output
  validate_checks.py helm     < `helm template` output (default values)
  validate_checks.py helm-existing-secret < `helm template --set secrets.existingSecret=...`

Prints one line per check and exits 1 if any failed. Only needs PyYAML.
"""
import sys

import yaml

APPS = ["gateway", "chatops", "provisioner", "deployer", "autoscaler", "storage", "dns-inspector"]
KUBE_APPS = ["provisioner", "deployer", "autoscaler", "storage", "dns-inspector"]
READ_VERBS = {"get", "list", "watch"}
failures = []


def check(ok, what):
    print(("  ok    " if ok else "  FAIL  ") + what)
    if not ok:
        failures.append(what)


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, None) for e in env)
    return env


def published(service):
    """(host_ip, published, target) of each published port, either syntax."""
    out = []
    for p in service.get("ports") or []:
        if isinstance(p, dict):
            out.append((p.get("host_ip"), str(p.get("published")), str(p.get("target"))))
        else:
            parts = str(p).split("/")[0].split(":")
            out.append((parts[0], parts[1], parts[2]) if len(parts) == 3 else (None, *parts[-2:]))
    return out


def compose(doc):
    services = doc["services"]
    expected = set(APPS) | {"nats", "redis", "k3s", "kubeconfig"}
    check(set(services) == expected, f"services: {' '.join(sorted(services))}")
    for name, svc in services.items():
        for host_ip, pub, target in published(svc):
            check(host_ip == "127.0.0.1", f"{name}: port {pub}->{target} published on 127.0.0.1 only")
    nats, redis, k3s = services["nats"], services["redis"], services["k3s"]
    ncmd = " ".join(map(str, nats.get("command") or []))
    check(nats["image"].startswith("nats:2"), "nats: official nats:2 image family")
    check("-js" in ncmd.split() and "-sd /data" in ncmd and "-m 8222" in ncmd, "nats: -js -sd /data -m 8222")
    check("8222/healthz" in " ".join(nats["healthcheck"]["test"]), "nats: healthcheck on :8222/healthz")
    check(any(v.get("target") == "/data" or str(v).endswith(":/data") for v in _vols(nats)), "nats: /data is a volume")
    rcmd = " ".join(map(str, redis.get("command") or []))
    check(redis["image"].startswith("redis:7"), "redis: redis:7 image")
    check("--appendonly yes" in rcmd, "redis: --appendonly yes")
    check("redis-cli" in " ".join(redis["healthcheck"]["test"]) and "ping" in " ".join(redis["healthcheck"]["test"]),
          "redis: healthcheck redis-cli ping")
    check(k3s["image"].startswith("rancher/k3s:") and k3s.get("privileged") is True, "k3s: rancher/k3s, privileged")
    kcmd = " ".join(map(str, k3s.get("command") or []))
    check(kcmd.startswith("server") and "--tls-san=k3s" in kcmd, "k3s: server with --tls-san=k3s")
    check("https://k3s:6443" in " ".join(map(str, services["kubeconfig"].get("command") or [])),
          "kubeconfig: rewrites the server to https://k3s:6443")
    for app in APPS:
        svc = services[app]
        build = svc.get("build") or {}
        check(str(build.get("dockerfile", "")).endswith("deploy/Dockerfile") and (build.get("args") or {}).get("APP") == app,
              f"{app}: built from deploy/Dockerfile with APP={app}")
        env = env_of(svc)
        check(env.get("NATS_URL") == "nats://nats:4222" and env.get("REDIS_URL") == "redis://redis:6379",
              f"{app}: NATS_URL/REDIS_URL point at the compose services")
        deps = svc.get("depends_on") or {}
        check(isinstance(deps, dict) and deps.get("nats", {}).get("condition") == "service_healthy"
              and deps.get("redis", {}).get("condition") == "service_healthy",
              f"{app}: waits for healthy nats and redis")
        if app in KUBE_APPS:
            check(env.get("BOSUN_KUBECONFIG") == "/kube/kubeconfig", f"{app}: BOSUN_KUBECONFIG set")
            check(deps.get("kubeconfig", {}).get("condition") == "service_completed_successfully",
                  f"{app}: waits for the rewritten kubeconfig")
        else:
            check("BOSUN_KUBECONFIG" not in env, f"{app}: no kubeconfig (never calls Kubernetes)")
    ge, ce = env_of(services["gateway"]), env_of(services["chatops"])
    check(bool(ge.get("BOSUN_ADMIN_TOKEN")) and bool(ge.get("BOSUN_INTERNAL_TOKEN")), "gateway: admin and internal tokens passed")
    check(bool(ce.get("BOSUN_SLACK_SIGNING_SECRET")) and bool(ce.get("BOSUN_WEBHOOK_SECRET")),
          "chatops: Slack signing and webhook secrets passed")
    check(ce.get("BOSUN_INTERNAL_TOKEN") == ge.get("BOSUN_INTERNAL_TOKEN"), "chatops: the same internal token as the gateway")
    check(ce.get("BOSUN_GATEWAY_URL") == "http://gateway:8080", "chatops: BOSUN_GATEWAY_URL=http://gateway:8080")
    for app in APPS:
        env = env_of(services[app])
        check(not any(k.startswith("BOSUN_") and k.endswith(("_TOKEN", "_SECRET")) for k in env if
                      (app, k) not in {("gateway", "BOSUN_ADMIN_TOKEN"), ("gateway", "BOSUN_INTERNAL_TOKEN"),
                                       ("chatops", "BOSUN_SLACK_SIGNING_SECRET"), ("chatops", "BOSUN_WEBHOOK_SECRET"),
                                       ("chatops", "BOSUN_INTERNAL_TOKEN")}),
              f"{app}: receives only its own secrets")
    for app in KUBE_APPS:
        check(bool(env_of(services[app]).get("BOSUN_ENCRYPTION_KEY")), f"{app}: BOSUN_ENCRYPTION_KEY passed (stored clusters are encrypted)")
    check(all(not env_of(services[a]).get("BOSUN_ENCRYPTION_KEY") for a in ("gateway", "chatops")), "gateway, chatops: no encryption key")
    check(("127.0.0.1", "8080", "8080") in published(services["gateway"]), "gateway: 127.0.0.1:8080 (default)")
    check(("127.0.0.1", "8081", "8081") in published(services["chatops"]), "chatops: 127.0.0.1:8081 (default)")


def _vols(svc):
    out = []
    for v in svc.get("volumes") or []:
        out.append(v if isinstance(v, dict) else {"target": str(v).split(":")[1] if ":" in str(v) else str(v)})
    return out


def objects(stream):
    return [d for d in yaml.safe_load_all(stream) if d]


def helm(docs, existing_secret=None):
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    deployments = {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in by_kind.get("Deployment", [])}
    check(sorted(deployments) == sorted(APPS), f"one Deployment per app ({len(deployments)})")
    services = {d["metadata"]["labels"]["app.kubernetes.io/component"] for d in by_kind.get("Service", [])}
    check(services == set(APPS), f"a Service per app: the API, chat hooks and each back-end's /metrics (got {sorted(services)})")
    check(len(by_kind.get("ServiceAccount", [])) == 1, "one ServiceAccount")
    secrets = by_kind.get("Secret", [])
    if existing_secret:
        check(not secrets, "existingSecret: the chart renders no Secret")
        secret_name = existing_secret
    else:
        check(len(secrets) == 1 and set(secrets[0]["data"]) ==
              {"BOSUN_ADMIN_TOKEN", "BOSUN_SLACK_SIGNING_SECRET", "BOSUN_WEBHOOK_SECRET", "BOSUN_INTERNAL_TOKEN", "BOSUN_ENCRYPTION_KEY"},
              "one Secret with the five bootstrap keys")
        secret_name = secrets[0]["metadata"]["name"] if secrets else None
    sa = by_kind["ServiceAccount"][0]["metadata"]["name"] if by_kind.get("ServiceAccount") else None
    for app, d in deployments.items():
        pod = d["spec"]["template"]["spec"]
        c = pod["containers"][0]
        check(c["image"].split(":")[0].endswith("/" + app), f"{app}: image <repository>/{app}")
        check(pod.get("serviceAccountName") == sa, f"{app}: runs as the chart's ServiceAccount")
        check(pod.get("automountServiceAccountToken") is (app in KUBE_APPS),
              f"{app}: token mounted only if it calls Kubernetes ({app in KUBE_APPS})")
        sc, psc = c.get("securityContext", {}), pod.get("securityContext", {})
        check(psc.get("runAsNonRoot") is True and sc.get("allowPrivilegeEscalation") is False
              and sc.get("readOnlyRootFilesystem") is True, f"{app}: non-root, no escalation, read-only root")
        env = {e["name"]: e for e in c.get("env", [])}
        check("NATS_URL" in env and "REDIS_URL" in env, f"{app}: NATS_URL and REDIS_URL set")
        want = {"gateway": {"BOSUN_ADMIN_TOKEN", "BOSUN_INTERNAL_TOKEN"},
                "chatops": {"BOSUN_SLACK_SIGNING_SECRET", "BOSUN_WEBHOOK_SECRET", "BOSUN_INTERNAL_TOKEN"}}.get(app, {"BOSUN_ENCRYPTION_KEY"})
        got = {n for n, e in env.items() if e.get("valueFrom", {}).get("secretKeyRef", {}).get("name") == secret_name}
        check(got == want, f"{app}: secrets from {secret_name}: {sorted(want) or 'none'}")
        probes = {p for p in ("livenessProbe", "readinessProbe", "startupProbe") if p in c}
        if app == "gateway":
            check(c["livenessProbe"]["httpGet"]["path"] == "/healthz" and c["readinessProbe"]["httpGet"]["path"] == "/readyz",
                  "gateway: liveness /healthz, readiness /readyz")
        elif app in KUBE_APPS:
            check(c["livenessProbe"]["httpGet"]["path"] == "/healthz" and c["readinessProbe"]["httpGet"]["path"] == "/readyz"
                  and env.get("BOSUN_METRICS_PORT", {}).get("value") == str(c["ports"][0]["containerPort"]),
                  f"{app}: /metrics port from BOSUN_METRICS_PORT, liveness /healthz, readiness /readyz")
        if app == "chatops":
            gw = next((s for s in by_kind.get("Service", []) if s["metadata"]["labels"]["app.kubernetes.io/component"] == "gateway"), None)
            url = env.get("BOSUN_GATEWAY_URL", {}).get("value", "")
            check(gw is not None and url.startswith(f"http://{gw['metadata']['name']}."), f"chatops: BOSUN_GATEWAY_URL {url} names the gateway Service")
    rbac(by_kind)


def rbac(by_kind):
    roles = by_kind.get("ClusterRole", [])
    check(len(roles) == 1, "one ClusterRole")
    if not roles:
        return
    impersonate, writes = set(), set()
    for rule in roles[0]["rules"]:
        verbs = set(rule["verbs"])
        check("*" not in verbs and "*" not in rule.get("resources", []) and "*" not in rule.get("apiGroups", []),
              f"no wildcards in rule {rule.get('resources')}")
        for res in rule["resources"]:
            for verb in verbs - READ_VERBS:
                if verb == "impersonate":
                    impersonate.add(res)
                else:
                    writes.add((res, verb))
    check(impersonate == {"users", "groups"}, f"impersonate on users and groups only (got {sorted(impersonate)})")
    provisioner = {("persistentvolumes", "create"), ("persistentvolumes", "delete"), ("persistentvolumes", "patch"),
                   ("persistentvolumeclaims/status", "patch"), ("events", "create"), ("storageclasses", "create")}
    check(writes == provisioner,
          f"the only cluster-wide writes are the local-path provisioner's: PVs, claim status, its events, its class (got {sorted(writes)})")
    readable = {r for rule in roles[0]["rules"] if set(rule["verbs"]) >= READ_VERBS for r in rule["resources"]}
    need = {"deployments", "replicasets", "pods", "events", "nodes", "services", "endpoints", "endpointslices",
            "persistentvolumes", "persistentvolumeclaims", "storageclasses", "namespaces", "poddisruptionbudgets",
            "horizontalpodautoscalers"}
    check(need <= readable, f"get/list/watch on {len(need)} informer resources (missing {sorted(need - readable)})")
    check("secrets" not in readable and "configmaps" not in readable, "no cluster-wide read of secrets or configmaps")
    tokens = [r for r in by_kind.get("Role", []) if r["metadata"]["name"].endswith("-bootstrap-tokens")]
    check(len(tokens) == 1 and tokens[0]["metadata"]["namespace"] == "kube-system"
          and tokens[0]["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}],
          "kube-system Role: create secrets, nothing else (bootstrap tokens)")
    lease = [r for r in by_kind.get("Role", []) if r["metadata"]["name"].endswith("-local-path")]
    check(len(lease) == 1 and {res for rule in lease[0]["rules"] for res in rule["resources"]} == {"leases", "pods"},
          "local-path Role: its Lease and helper pods in one namespace, nothing else")
    check(len(by_kind.get("ClusterRoleBinding", [])) == 1 and len(by_kind.get("RoleBinding", [])) == len(by_kind.get("Role", [])),
          "ClusterRoleBinding and one RoleBinding per Role present")


def main():
    mode = sys.argv[1]
    if mode == "compose":
        compose(yaml.safe_load(sys.stdin))
    elif mode == "helm":
        helm(objects(sys.stdin))
    elif mode == "helm-existing-secret":
        helm(objects(sys.stdin), existing_secret=sys.argv[2])
    else:
        sys.exit(f"unknown mode {mode}")
    if failures:
        print(f"  {len(failures)} check(s) failed")
        sys.exit(1)


if __name__ == "__main__":
    main()

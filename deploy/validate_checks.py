"""Structural checks of the rendered deployment artefacts, called by deploy/validate.sh.

  validate_checks.py compose PRINCIPALS < `docker-compose config` output
  validate_checks.py helm PRINCIPALS [--existing-secret NAME] [--accounts] [--variant] < `helm template` output

PRINCIPALS: the NATS principals of tools/nats-auth/permissions.cjs (space-separated), so
that the apps given a seed are exactly the matrix's. --existing-secret: the render uses
secrets.existingSecret NAME; --accounts: it was given nats.auth.publicKeys; --variant: the
variant values of validate.sh (restricted impersonation, own seed Secret names).

Prints one line per check and exits 1 if any failed. Only needs PyYAML.
"""
import sys

import yaml

APPS = ["gateway", "chatops", "provisioner", "deployer", "autoscaler", "storage", "dns-inspector"]
KUBE_APPS = ["provisioner", "deployer", "autoscaler", "storage", "dns-inspector"]
READ_VERBS = {"get", "list", "watch"}
failures = []

# What each app's own ServiceAccount may do with the chart's defaults (deploy/README.md,
# "RBAC"): (namespace or "*" for cluster-wide, apiGroup, resource, verb, resourceName or "*").
# Everything else an app does in Kubernetes it does as the asker, through impersonation.
IMPERSONATE = {("*", "", "users", "impersonate", "*"), ("*", "", "groups", "impersonate", "*")}
READ = lambda group, *resources: {("*", group, r, v, "*") for r in resources for v in READ_VERBS}  # noqa: E731
LEASE_NS = "kube-system"
EXPECTED_RIGHTS = {
    "gateway": set(),
    "chatops": set(),
    "provisioner": IMPERSONATE | {("*", "", "configmaps", "get", "kube-root-ca.crt"),
                                  ("kube-public", "", "configmaps", "get", "cluster-info")},
    "deployer": IMPERSONATE | READ("apps", "deployments", "replicasets"),
    "autoscaler": IMPERSONATE | READ("apps", "deployments", "statefulsets") | READ("", "pods")
                  | {("*", "apps", "deployments", "patch", "*"), ("*", "apps", "statefulsets", "patch", "*"),
                     ("*", "metrics.k8s.io", "pods", "get", "*"), ("*", "metrics.k8s.io", "pods", "list", "*")},
    "storage": IMPERSONATE | READ("", "persistentvolumes", "persistentvolumeclaims") | READ("storage.k8s.io", "storageclasses")
               | {("*", "", "persistentvolumes", v, "*") for v in ("create", "delete", "patch")}
               | {("*", "", "persistentvolumeclaims/status", "patch", "*"), ("*", "", "events", "create", "*"),
                  ("*", "", "nodes", "get", "*"),
                  ("*", "storage.k8s.io", "storageclasses", "create", "local-path"),
                  ("*", "storage.k8s.io", "storageclasses", "patch", "local-path"),
                  (LEASE_NS, "coordination.k8s.io", "leases", "create", "*"),
                  (LEASE_NS, "coordination.k8s.io", "leases", "get", "bosun-local-path"),
                  (LEASE_NS, "coordination.k8s.io", "leases", "patch", "bosun-local-path")}
               | {(LEASE_NS, "", "pods", v, "*") for v in ("get", "create", "delete")},
    "dns-inspector": IMPERSONATE,
}


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


def compose(doc, principals):
    services = doc["services"]
    expected = set(APPS) | {"nats", "nats-auth", "redis", "k3s", "kubeconfig"}
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
    check(env_of(services["gateway"]).get("BOSUN_ENCRYPTION_KEY") == env_of(services["deployer"]).get("BOSUN_ENCRYPTION_KEY"),
          "gateway: the services' encryption key (it seals deploy env values)")
    check(not env_of(services["chatops"]).get("BOSUN_ENCRYPTION_KEY"), "chatops: no encryption key")
    check(("127.0.0.1", "8080", "8080") in published(services["gateway"]), "gateway: 127.0.0.1:8080 (default)")
    check(("127.0.0.1", "8081", "8081") in published(services["chatops"]), "chatops: 127.0.0.1:8081 (default)")
    compose_nats_auth(doc, principals)


def _mounts(svc):
    """{target: (source, read_only)} of a service's volumes, either syntax."""
    out = {}
    for v in svc.get("volumes") or []:
        if isinstance(v, dict):
            out[v.get("target")] = (v.get("source"), bool(v.get("read_only")))
        else:
            parts = str(v).split(":")
            if len(parts) >= 2:
                out[parts[1]] = (parts[0], len(parts) > 2 and "ro" in parts[2].split(","))
    return out


def compose_nats_auth(doc, principals):
    """ADR 0005 in compose: the one-shot makes the seeds, nats requires them, each app uses its own."""
    services = doc["services"]
    init, nats = services["nats-auth"], services["nats"]
    check("nats-auth" in (doc.get("volumes") or {}), "volumes: nats-auth is a named volume (seeds kept across runs)")
    gw = services["gateway"]
    check(init.get("image") == gw.get("image") and (init.get("build") or {}).get("args", {}).get("APP") == "gateway",
          "nats-auth: runs in the gateway's image (built with APP=gateway)")
    check(list(map(str, init.get("command") or [])) == ["node", "tools/nats-auth/render.mjs", "/auth"],
          "nats-auth: node tools/nats-auth/render.mjs /auth")
    check(str(init.get("user")) in ("node", "1000"), "nats-auth: runs as node, the apps' user (they read its 0600 seeds)")
    check(_mounts(init).get("/auth") == ("nats-auth", False), "nats-auth: the nats-auth volume at /auth, writable")
    check(str(init.get("restart", "no")) == "no" and init.get("network_mode") == "none" and not init.get("ports"),
          "nats-auth: one-shot, no network, no ports")
    check(not any(k.startswith("BOSUN_") for k in env_of(init)), "nats-auth: no Bosun secrets")
    ncmd = [str(c) for c in nats.get("command") or []]
    check(any(a in ("-c", "--config") and b == "/auth/accounts.conf" for a, b in zip(ncmd, ncmd[1:])),
          "nats: -c /auth/accounts.conf (authentication required, per-principal permissions)")
    check(_mounts(nats).get("/auth") == ("nats-auth", True), "nats: the nats-auth volume at /auth, read-only")
    check((nats.get("depends_on") or {}).get("nats-auth", {}).get("condition") == "service_completed_successfully",
          "nats: starts after nats-auth completed successfully")
    seeded = set()
    for app in APPS:
        svc, env = services[app], env_of(services[app])
        check(not any(k in env for k in ("NATS_NKEY_SEED", "BOSUN_QUEUE_READER_NKEY_SEED")), f"{app}: no seed in the environment")
        if app not in principals:
            check("NATS_NKEY_SEED_FILE" not in env and "/auth" not in _mounts(svc), f"{app}: no NATS credentials (not a principal)")
            continue
        seeded.add(app)
        check(env.get("NATS_NKEY_SEED_FILE") == f"/auth/{app}.nk", f"{app}: NATS_NKEY_SEED_FILE=/auth/{app}.nk")
        check(_mounts(svc).get("/auth") == ("nats-auth", True), f"{app}: the nats-auth volume at /auth, read-only")
        check((svc.get("depends_on") or {}).get("nats-auth", {}).get("condition") == "service_completed_successfully",
              f"{app}: waits for nats-auth")
        want = "/auth/queue-reader.nk" if app == "autoscaler" else None
        check(env.get("BOSUN_QUEUE_READER_NKEY_SEED_FILE") == want,
              f"{app}: BOSUN_QUEUE_READER_NKEY_SEED_FILE {'=' + want if want else 'unset'}")
    check(seeded == set(principals), f"the apps with a seed are the matrix's principals ({' '.join(sorted(principals))})")


def _vols(svc):
    out = []
    for v in svc.get("volumes") or []:
        out.append(v if isinstance(v, dict) else {"target": str(v).split(":")[1] if ":" in str(v) else str(v)})
    return out


def objects(stream):
    return [d for d in yaml.safe_load_all(stream) if d]


def component(d):
    return d["metadata"].get("labels", {}).get("app.kubernetes.io/component")


def helm(docs, principals, existing_secret=None, accounts=False, variant=False):
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    deployments = {component(d): d for d in by_kind.get("Deployment", [])}
    check(sorted(deployments) == sorted(APPS), f"one Deployment per app ({len(deployments)})")
    services = {component(d) for d in by_kind.get("Service", [])}
    check(services == set(APPS), f"a Service per app: the API, chat hooks and each back-end's /metrics (got {sorted(services)})")
    accounts_by_app = {component(d): d for d in by_kind.get("ServiceAccount", [])}
    check(sorted(accounts_by_app) == sorted(APPS) and len(by_kind.get("ServiceAccount", [])) == len(APPS),
          f"one ServiceAccount per app ({len(by_kind.get('ServiceAccount', []))})")
    check(all(a.get("automountServiceAccountToken") is False for a in accounts_by_app.values()),
          "every ServiceAccount: automountServiceAccountToken false (pods opt in)")
    secrets = by_kind.get("Secret", [])
    if existing_secret:
        check(not secrets, "existingSecret: the chart renders no Secret")
        secret_name = existing_secret
    else:
        check(len(secrets) == 1 and set(secrets[0]["data"]) ==
              {"BOSUN_ADMIN_TOKEN", "BOSUN_SLACK_SIGNING_SECRET", "BOSUN_WEBHOOK_SECRET", "BOSUN_INTERNAL_TOKEN", "BOSUN_ENCRYPTION_KEY"},
              "one Secret with the five bootstrap keys")
        secret_name = secrets[0]["metadata"]["name"] if secrets else None
    for app, d in deployments.items():
        pod = d["spec"]["template"]["spec"]
        c = pod["containers"][0]
        check(c["image"].split(":")[0].endswith("/" + app), f"{app}: image <repository>/{app}")
        own = accounts_by_app.get(app, {}).get("metadata", {}).get("name")
        check(own is not None and pod.get("serviceAccountName") == own, f"{app}: runs as its own ServiceAccount {own}")
        check(pod.get("automountServiceAccountToken") is (app in KUBE_APPS),
              f"{app}: token mounted only if it calls Kubernetes ({app in KUBE_APPS})")
        sc, psc = c.get("securityContext", {}), pod.get("securityContext", {})
        check(psc.get("runAsNonRoot") is True and sc.get("allowPrivilegeEscalation") is False
              and sc.get("readOnlyRootFilesystem") is True, f"{app}: non-root, no escalation, read-only root")
        env = {e["name"]: e for e in c.get("env", [])}
        check("NATS_URL" in env and "REDIS_URL" in env, f"{app}: NATS_URL and REDIS_URL set")
        want = {"gateway": {"BOSUN_ADMIN_TOKEN", "BOSUN_INTERNAL_TOKEN", "BOSUN_ENCRYPTION_KEY"},
                "chatops": {"BOSUN_SLACK_SIGNING_SECRET", "BOSUN_WEBHOOK_SECRET", "BOSUN_INTERNAL_TOKEN"}}.get(app, {"BOSUN_ENCRYPTION_KEY"})
        got = {n for n, e in env.items() if e.get("valueFrom", {}).get("secretKeyRef", {}).get("name") == secret_name}
        check(got == want, f"{app}: secrets from {secret_name}: {sorted(want) or 'none'}")
        if app == "gateway":
            check(c["livenessProbe"]["httpGet"]["path"] == "/healthz" and c["readinessProbe"]["httpGet"]["path"] == "/readyz",
                  "gateway: liveness /healthz, readiness /readyz")
        elif app in KUBE_APPS:
            check(c["livenessProbe"]["httpGet"]["path"] == "/healthz" and c["readinessProbe"]["httpGet"]["path"] == "/readyz"
                  and env.get("BOSUN_METRICS_PORT", {}).get("value") == str(c["ports"][0]["containerPort"]),
                  f"{app}: /metrics port from BOSUN_METRICS_PORT, liveness /healthz, readiness /readyz")
        if app == "chatops":
            gw = next((s for s in by_kind.get("Service", []) if component(s) == "gateway"), None)
            url = env.get("BOSUN_GATEWAY_URL", {}).get("value", "")
            check(gw is not None and url.startswith(f"http://{gw['metadata']['name']}."), f"chatops: BOSUN_GATEWAY_URL {url} names the gateway Service")
        if app == "storage":
            lease = env.get("BOSUN_STORAGE_LEASE_NAMESPACE", {}).get("value")
            roles = [r["metadata"]["namespace"] for r in by_kind.get("Role", []) if component(r) == "storage"]
            check(lease is not None and roles == [lease], f"storage: BOSUN_STORAGE_LEASE_NAMESPACE={lease}, where its Role is ({roles})")
        nats_seed(app, pod, c, env, principals, variant)
    nats_accounts(by_kind, principals, accounts)
    rbac(by_kind, accounts_by_app, variant)


def nats_seed(app, pod, c, env, principals, variant):
    """ADR 0005 in the chart: each principal's own seed, from its Secret, as a read-only file."""
    check(not any(k in env for k in ("NATS_NKEY_SEED", "BOSUN_QUEUE_READER_NKEY_SEED")), f"{app}: no seed as an env value")
    volume = next((v for v in pod.get("volumes", []) if v["name"] == "nats-auth"), None)
    mount = next((m for m in c.get("volumeMounts", []) if m["name"] == "nats-auth"), None)
    if app not in principals:
        check(volume is None and "NATS_NKEY_SEED_FILE" not in env, f"{app}: no NATS credentials (not a principal)")
        return
    own = [app] + (["queue-reader"] if app == "autoscaler" else [])
    sources = [s["secret"] for s in (volume or {}).get("projected", {}).get("sources", []) if "secret" in s]
    files = {i["path"]: (s["name"], i["key"]) for s in sources for i in s.get("items", [])}
    names = {p: files.get(f"{p}.nk", (None,))[0] for p in own}
    want = {p: (f"custom-nats-{p}" if variant and p == "gateway" else f"bosun-nats-{p}") for p in own}
    check(sorted(files) == sorted(f"{p}.nk" for p in own) and names == want,
          f"{app}: mounts only its own seed{'s' if len(own) > 1 else ''} ({', '.join(f'{p}.nk from {want[p]}' for p in own)})")
    check(mount is not None and mount.get("readOnly") is True, f"{app}: the seed volume is mounted read-only")
    where = (mount or {}).get("mountPath", "")
    check(env.get("NATS_NKEY_SEED_FILE", {}).get("value") == f"{where}/{app}.nk", f"{app}: NATS_NKEY_SEED_FILE names the mounted {app}.nk")
    qr = env.get("BOSUN_QUEUE_READER_NKEY_SEED_FILE", {}).get("value")
    check(qr == (f"{where}/queue-reader.nk" if app == "autoscaler" else None),
          f"{app}: BOSUN_QUEUE_READER_NKEY_SEED_FILE {'names queue-reader.nk' if app == 'autoscaler' else 'unset'}")


def nats_accounts(by_kind, principals, accounts):
    maps = [m for m in by_kind.get("ConfigMap", []) if m["metadata"]["name"].endswith("-nats-accounts")]
    if not accounts:
        check(not maps, "no nats.auth.publicKeys: no accounts ConfigMap")
        return
    text = maps[0]["data"].get("accounts.conf", "") if len(maps) == 1 else ""
    check(len(maps) == 1 and text.startswith("# ") and "\naccounts: {" in text and "@nkey:" not in text,
          "the accounts ConfigMap: accounts.conf with every public key filled in")


def rights_of(by_kind, sa_name, namespace):
    """Every (namespace|*, group, resource, verb, resourceName|*) the bindings give one ServiceAccount."""
    roles = {("ClusterRole", r["metadata"]["name"], None): r for r in by_kind.get("ClusterRole", [])}
    roles |= {("Role", r["metadata"]["name"], r["metadata"]["namespace"]): r for r in by_kind.get("Role", [])}
    out = set()
    for kind in ("ClusterRoleBinding", "RoleBinding"):
        for b in by_kind.get(kind, []):
            if not any(s.get("kind") == "ServiceAccount" and s.get("name") == sa_name and s.get("namespace") == namespace
                       for s in b.get("subjects") or []):
                continue
            ns = b["metadata"].get("namespace") if kind == "RoleBinding" else None
            ref = b["roleRef"]
            role = roles.get((ref["kind"], ref["name"], ns if ref["kind"] == "Role" else None))
            check(role is not None, f"{kind} {b['metadata']['name']}: its {ref['kind']} {ref['name']} is rendered")
            for rule in (role or {}).get("rules", []):
                for group in rule.get("apiGroups", []):
                    for res in rule.get("resources", []):
                        for verb in rule.get("verbs", []):
                            for name in rule.get("resourceNames") or ["*"]:
                                out.add((ns or "*", group, res, verb, name))
    return out


def rbac(by_kind, accounts_by_app, variant):
    rules = [r for kind in ("ClusterRole", "Role") for role in by_kind.get(kind, []) for r in role["rules"]]
    check(bool(rules) and all("*" not in r.get("verbs", []) + r.get("resources", []) + r.get("apiGroups", []) for r in rules),
          f"no wildcard verbs, resources or groups in any of {len(rules)} rules")
    check(not any(res.startswith("secrets") for r in rules for res in r["resources"]), "no rule names Secrets: no app reads or writes one as itself")
    check(not any("impersonate" in r["verbs"] and set(r["resources"]) - {"users", "groups"} for r in rules),
          "impersonate on users and groups only (never serviceaccounts, uids or userextras)")
    for app in APPS:
        sa = accounts_by_app.get(app, {}).get("metadata", {})
        got = rights_of(by_kind, sa.get("name"), sa.get("namespace"))
        want = EXPECTED_RIGHTS[app]
        if variant:
            # rbac.impersonation.groups={team-a,team-b}: the groups rule carries resourceNames.
            want = {w for w in want if w[2] != "groups"} | ({("*", "", "groups", "impersonate", g) for g in ("team-a", "team-b")}
                                                          if ("*", "", "groups", "impersonate", "*") in want else set())
        extra, missing = sorted(got - want), sorted(want - got)
        summary = "no rights at all" if not want else f"{len(want)} rights"
        check(not extra and not missing, f"{app}: exactly its own rights, {summary}" + (f" (extra {extra}, missing {missing})" if extra or missing else ""))


def main():
    mode, principals, opts = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
    if mode == "compose":
        compose(yaml.safe_load(sys.stdin), principals)
    elif mode == "helm":
        existing = opts[opts.index("--existing-secret") + 1] if "--existing-secret" in opts else None
        helm(objects(sys.stdin), principals, existing_secret=existing, accounts="--accounts" in opts, variant="--variant" in opts)
    else:
        sys.exit(f"unknown mode {mode}")
    if failures:
        print(f"  {len(failures)} check(s) failed")
        sys.exit(1)


if __name__ == "__main__":
    main()

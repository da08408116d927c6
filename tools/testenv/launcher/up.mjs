// Starts the Bosun test control plane: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, kwok (3 fake nodes), CoreDNS and metrics-server as background
// processes on 127.0.0.1, with state under <repo>/.bosun/testenv/.
//
//   npm run testenv:up          # idempotent; a healthy cluster returns at once
//   npm run testenv:down [-- --purge]
import { spawn, execFileSync } from 'node:child_process';
import dns from 'node:dns';
import fs from 'node:fs';
import path from 'node:path';
import {
  COMPONENTS, HOST, binaries, bosunDir, cluster, defaultBinDir, dirs, elapsed, ensurePKI, fail, httpGet,
  kubeconfigPath, kubectlRunner, log, logFile, mkdirs, portOpen, ports, processSpec, readVersions, recordedSpec,
  runningPid, sha256, shortPath, stopPid,
  startProcess, stateDir, tailLog, testenvDir, testenvJsonPath, waitFor, writeKubeconfig,
} from './lib.mjs';

const started = Date.now();
const versions = readVersions();
const FIELD_MANAGER = 'bosun-testenv';
const apiserverURL = `https://${HOST}:${ports.APISERVER}`;


// ------------------------------------------------------------------ build

/** Runs build.sh (builds only what is missing), streams its progress, returns the bin dir. */
function runBuild() {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(testenvDir, 'build.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        // build.sh's own progress lines; go's download chatter only when building.
        if (line.startsWith('[testenv:build]')) log(line.replace('[testenv:build] ', 'build: '));
        else if (line.trim()) process.stderr.write(`    ${line}\n`);
      }
    });
    child.on('close', (code) => {
      const lines = out.trim().split('\n');
      if (code !== 0) reject(new Error(`tools/testenv/build.sh exited ${code}`));
      else resolve(lines[lines.length - 1]);
    });
  });
}

// ------------------------------------------------------------------ kwok module files

/** Directory of the kwok Go module (CRDs, default stages, metrics objects live there). */
function kwokModuleDir() {
  const out = execFileSync('go', ['mod', 'download', '-json', `sigs.k8s.io/kwok@${versions.kwok}`], {
    cwd: stateDir,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'on' },
  });
  const dir = JSON.parse(out).Dir;
  if (!dir || !fs.existsSync(dir)) throw new Error(`kwok module ${versions.kwok} not found (go mod download gave ${dir})`);
  return dir;
}

// Images that the Stages in tools/testenv/stages/ handle; kwok's default "pod-ready"
// and "pod-complete" stages must leave those pods alone or kwok would pick randomly.
const FAIL_IMAGES_JQ = '.spec.containers[].image | test("^fail\\\\.bosun\\\\.test/(image-pull|crash|oom|unready)([:@]|$)")';

// ------------------------------------------------------------------ components

function componentSpecs(bin, pki, kc) {
  const etcdURL = `http://${HOST}:${ports.ETCD}`;
  return {
    etcd: {
      binary: bin.etcd,
      args: [
        `--name=${cluster.name}`,
        `--data-dir=${dirs.etcd}`,
        `--listen-client-urls=${etcdURL}`,
        `--advertise-client-urls=${etcdURL}`,
        `--listen-peer-urls=http://${HOST}:${ports.ETCD_PEER}`,
        `--initial-advertise-peer-urls=http://${HOST}:${ports.ETCD_PEER}`,
        `--initial-cluster=${cluster.name}=http://${HOST}:${ports.ETCD_PEER}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync',
        '--auto-compaction-retention=1',
        '--quota-backend-bytes=8589934592',
        '--log-level=warn',
      ],
      healthy: async () => {
        const r = await httpGet(`${etcdURL}/health`);
        return r.status === 200 && /"health":\s*"true"/.test(r.body);
      },
    },
    'kube-apiserver': {
      binary: bin.kubeApiserver,
      args: [
        `--etcd-servers=${etcdURL}`,
        `--bind-address=${HOST}`,
        `--secure-port=${ports.APISERVER}`,
        // No default route on these machines, so the apiserver cannot pick an address;
        // a loopback advertise address is refused by the endpoint reconciler, hence "none"
        // (the "kubernetes" Service keeps its ClusterIP 10.96.0.1, without endpoints).
        `--advertise-address=${HOST}`,
        '--endpoint-reconciler-type=none',
        `--tls-cert-file=${pki.apiserver.crt}`,
        `--tls-private-key-file=${pki.apiserver.key}`,
        `--client-ca-file=${pki.ca.crt}`,
        `--kubelet-client-certificate=${pki.apiserverKubeletClient.crt}`,
        `--kubelet-client-key=${pki.apiserverKubeletClient.key}`,
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        '--allow-privileged=true',
        `--service-cluster-ip-range=${cluster.serviceCIDR}`,
        `--service-account-issuer=https://kubernetes.default.svc.${cluster.domain}`,
        `--service-account-key-file=${pki.sa.pub}`,
        `--service-account-signing-key-file=${pki.sa.key}`,
        `--requestheader-client-ca-file=${pki.frontProxyCA.crt}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        `--proxy-client-cert-file=${pki.frontProxyClient.crt}`,
        `--proxy-client-key-file=${pki.frontProxyClient.key}`,
        // The aggregator resolves the metrics-server Service (type ExternalName, "localhost")
        // through its cluster resolver; endpoint routing would reject ExternalName.
        '--enable-aggregator-routing=false',
        '--profiling=false',
      ],
      healthy: async () => (await httpGet(`${apiserverURL}/readyz`, certs(pki.admin, pki.ca))).status === 200,
    },
    'kube-controller-manager': {
      binary: bin.kubeControllerManager,
      args: [
        `--kubeconfig=${kc.controllerManager}`,
        `--authentication-kubeconfig=${kc.controllerManager}`,
        `--authorization-kubeconfig=${kc.controllerManager}`,
        `--bind-address=${HOST}`,
        `--secure-port=${ports.CONTROLLER_MANAGER}`,
        '--leader-elect=false',
        '--use-service-account-credentials=true',
        '--controllers=*,bootstrapsigner,tokencleaner',
        `--cluster-name=kubernetes`,
        `--client-ca-file=${pki.ca.crt}`,
        `--requestheader-client-ca-file=${pki.frontProxyCA.crt}`,
        `--root-ca-file=${pki.ca.crt}`,
        `--service-account-private-key-file=${pki.sa.key}`,
        `--cluster-signing-cert-file=${pki.ca.crt}`,
        `--cluster-signing-key-file=${pki.ca.key}`,
        '--allocate-node-cidrs=true',
        `--cluster-cidr=${cluster.clusterCIDR}`,
        '--node-cidr-mask-size=24',
        `--service-cluster-ip-range=${cluster.serviceCIDR}`,
        '--profiling=false',
      ],
      healthy: async () => (await httpGet(`https://${HOST}:${ports.CONTROLLER_MANAGER}/healthz`)).status === 200,
    },
    'kube-scheduler': {
      binary: bin.kubeScheduler,
      args: [
        `--kubeconfig=${kc.scheduler}`,
        `--authentication-kubeconfig=${kc.scheduler}`,
        `--authorization-kubeconfig=${kc.scheduler}`,
        `--bind-address=${HOST}`,
        `--secure-port=${ports.SCHEDULER}`,
        '--leader-elect=false',
        '--profiling=false',
      ],
      healthy: async () => (await httpGet(`https://${HOST}:${ports.SCHEDULER}/healthz`)).status === 200,
    },
    kwok: {
      binary: bin.kwok,
      // kwok always reads ~/.kwok/kwok.yaml if present: give it a HOME of its own.
      env: { HOME: path.join(stateDir, 'kwok-home') },
      args: [
        `--config=${path.join(dirs.config, 'kwok.yaml')}`,
        `--kubeconfig=${kc.kwok}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--cidr=${cluster.clusterCIDR}`,
        `--node-ip=${HOST}`,
        `--node-port=${ports.KWOK}`,
        `--server-address=${HOST}:${ports.KWOK}`,
        `--tls-cert-file=${pki.kubeletServing.crt}`,
        `--tls-private-key-file=${pki.kubeletServing.key}`,
        '--node-lease-duration-seconds=40',
        // Stages and per-pod usage are objects in the cluster, so tests can add their own.
        '--enable-crds=Stage,ClusterResourceUsage,ResourceUsage',
      ],
      healthy: async () => (await httpGet(`http://${HOST}:${ports.KWOK}/healthz`)).status === 200,
    },
    coredns: {
      binary: bin.coredns,
      args: ['-conf', path.join(dirs.config, 'Corefile')],
      healthy: async () => (await httpGet(`http://${HOST}:${ports.COREDNS_READY}/ready`)).status === 200,
    },
    'metrics-server': {
      binary: bin.metricsServer,
      args: [
        `--kubeconfig=${kc.metricsServer}`,
        `--authentication-kubeconfig=${kc.metricsServer}`,
        `--authorization-kubeconfig=${kc.metricsServer}`,
        `--bind-address=${HOST}`,
        `--secure-port=${ports.METRICS_SERVER}`,
        `--tls-cert-file=${pki.metricsServerServing.crt}`,
        `--tls-private-key-file=${pki.metricsServerServing.key}`,
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        '--kubelet-use-node-status-port',
        `--kubelet-certificate-authority=${pki.ca.crt}`,
        // The shortest resolution metrics-server allows; it must exceed the request timeout.
        '--metric-resolution=10s',
        '--kubelet-request-timeout=5s',
      ],
      healthy: async () => (await httpGet(`https://${HOST}:${ports.METRICS_SERVER}/livez`)).status === 200,
    },
  };
}

const certs = (leaf, ca) => ({ cert: leaf.crt, key: leaf.key, ca: ca.crt });

// ------------------------------------------------------------------ config files

function writeConfigs() {
  // The process behind the kube-dns Service. kubeadm's Corefile (the "coredns"
  // ConfigMap) with the changes a loopback process needs: port, bind, own
  // health/ready/metrics ports, and a kubeconfig instead of in-cluster credentials.
  fs.writeFileSync(
    path.join(dirs.config, 'Corefile'),
    `.:${ports.DNS} {
    bind ${HOST}
    errors
    health ${HOST}:${ports.COREDNS_HEALTH} {
       lameduck 1s
    }
    ready ${HOST}:${ports.COREDNS_READY}
    kubernetes ${cluster.domain} in-addr.arpa ip6.arpa {
       kubeconfig ${path.join(dirs.kubeconfigs, 'coredns.kubeconfig')} ${cluster.name}
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus ${HOST}:${ports.COREDNS_METRICS}
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${cluster.domain}
       disable denial ${cluster.domain}
    }
    loop
    reload
    loadbalance
}
`,
  );
}

function writeKwokConfig(metricYaml) {
  fs.mkdirSync(path.join(stateDir, 'kwok-home'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.config, 'kwok.yaml'),
    `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options: {}
---
${metricYaml}`,
  );
}

function writeKubeconfigs(pki) {
  const kc = (name, leaf, user) =>
    writeKubeconfig(path.join(dirs.kubeconfigs, `${name}.kubeconfig`), {
      server: apiserverURL, ca: pki.ca.crt, cert: leaf.crt, key: leaf.key, user,
    });
  return {
    admin: writeKubeconfig(kubeconfigPath, {
      server: apiserverURL, ca: pki.ca.crt, cert: pki.admin.crt, key: pki.admin.key, user: 'kubernetes-admin',
    }),
    controllerManager: kc('controller-manager', pki.controllerManager, 'system:kube-controller-manager'),
    scheduler: kc('scheduler', pki.scheduler, 'system:kube-scheduler'),
    kwok: kc('kwok', pki.kwok, 'kwok-controller'),
    coredns: kc('coredns', pki.coredns, 'coredns'),
    metricsServer: kc('metrics-server', pki.metricsServer, 'metrics-server'),
  };
}

// ------------------------------------------------------------------ manifests

function renderManifest(file, vars) {
  const text = fs.readFileSync(file, 'utf8');
  return text.replace(/\$\{([A-Z_]+)\}/g, (m, k) => {
    if (!(k in vars)) throw new Error(`${path.basename(file)}: unknown variable ${m}`);
    return String(vars[k]);
  });
}

async function apply(kubectl, input, what) {
  const r = await kubectl(
    ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'],
    { input, allowFail: true, timeoutMs: 120000 },
  );
  if (r.code !== 0) throw new Error(`applying ${what} failed:\n${r.stderr || r.stdout}`);
}

/** kwok's own stage files, read through kubectl as JSON so they can be amended. */
async function upstreamStages(kubectl, kwokDir) {
  const files = [
    'kustomize/stage/node/fast/node-initialize.yaml',
    'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    'kustomize/stage/pod/fast/pod-ready.yaml',
    'kustomize/stage/pod/fast/pod-complete.yaml',
    'kustomize/stage/pod/fast/pod-delete.yaml',
  ];
  const items = [];
  for (const f of files) {
    const obj = JSON.parse(
      (await kubectl(['create', '--dry-run=client', '-o', 'json', '-f', path.join(kwokDir, f)])).stdout,
    );
    obj.metadata.labels = { ...(obj.metadata.labels || {}), 'app.kubernetes.io/part-of': 'bosun-testenv' };
    if (obj.metadata.name === 'pod-ready' || obj.metadata.name === 'pod-complete') {
      obj.spec.selector.matchExpressions.push({ key: FAIL_IMAGES_JQ, operator: 'NotIn', values: ['true'] });
    }
    items.push(obj);
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/**
 * kwok's kubelet resource metrics endpoint (upstream Metric "metrics-resource"), given
 * to kwok in its config file. Upstream's node metrics are the sum of the node's pods, so
 * an idle node reports zero and metrics-server drops it (kubectl top nodes shows
 * <unknown>); a real node always carries its system daemons, so each node gets a
 * baseline of 50m CPU and 512Mi memory on top of its pods.
 *
 * Not a CRD object on purpose: kwok v0.7.0 registers a CRD Metric's HTTP route from an
 * informer event but reads the objects through a cache keyed by the informer's resource
 * version, which may not be updated yet when the event is handled; the route then never
 * appears, or keeps serving an old version of the object (seen here: 404s).
 */
function kwokMetricConfig(kwokDir) {
  let text = fs.readFileSync(path.join(kwokDir, 'kustomize/metrics/resource/metrics-resource.yaml'), 'utf8');
  const swaps = [
    [`value: 'node.CumulativeUsage("cpu")'`, `value: 'node.CumulativeUsage("cpu") + 0.05 * node.SinceSecond()'`],
    [`value: 'node.Usage("memory")'`, `value: 'node.Usage("memory") + 536870912.0'`],
  ];
  for (const [from, to] of swaps) {
    if (!text.includes(from)) throw new Error(`kwok ${versions.kwok} metrics-resource.yaml has no ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

// ------------------------------------------------------------------ waiting

const startedHere = new Set();

/**
 * Starts a component unless it already runs from this state dir with the same binary,
 * flags and environment; one started with other flags is restarted.
 */
async function ensureStarted(name, spec) {
  const pid = runningPid(name, spec.binary);
  if (pid && recordedSpec(name) === processSpec(spec.binary, spec.args, spec.env)) return pid;
  if (pid) {
    log(`${name}: flags changed since it started, restarting (pid ${pid})`);
    await stopPid(pid);
  }
  const p = startProcess(name, spec.binary, spec.args, { env: spec.env });
  startedHere.add(name);
  log(`${name}: started (pid ${p}), log ${shortPath(logFile(name))}`);
  return p;
}

async function startAndWait(name, spec, bin, timeoutMs = 60000) {
  const pid = runningPid(name, spec.binary);
  const same = recordedSpec(name) === processSpec(spec.binary, spec.args, spec.env);
  if (pid && same && !startedHere.has(name) && (await spec.healthy())) {
    log(`${name}: already running (pid ${pid})`);
    return;
  }
  if (!pid || !same) await ensureStarted(name, spec);
  const t = Date.now();
  await waitFor(`${name} to become healthy`, async () => {
    if (!runningPid(name, spec.binary)) throw Object.assign(new Error(`${name} exited`), { fatal: true });
    return spec.healthy();
  }, { timeoutMs, hint: () => `--- last lines of ${logFile(name)}:\n${tailLog(name)}` });
  log(`${name}: healthy in ${elapsed(t)}`);
}

function resolver() {
  const r = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`${HOST}:${ports.DNS}`]);
  return r;
}

async function portsFree(specs) {
  const owned = {
    etcd: [ports.ETCD, ports.ETCD_PEER], 'kube-apiserver': [ports.APISERVER],
    'kube-controller-manager': [ports.CONTROLLER_MANAGER], 'kube-scheduler': [ports.SCHEDULER], kwok: [ports.KWOK],
    coredns: [ports.DNS, ports.COREDNS_HEALTH, ports.COREDNS_READY, ports.COREDNS_METRICS],
    'metrics-server': [ports.METRICS_SERVER],
  };
  const busy = [];
  for (const [name, list] of Object.entries(owned)) {
    if (runningPid(name, specs[name].binary)) continue;
    for (const p of list) if (await portOpen(p)) busy.push(`${p} (${name})`);
  }
  if (busy.length) {
    fail(`ports already in use by another process: ${busy.join(', ')}. Stop it, or set BOSUN_TESTENV_<NAME>_PORT (see tools/testenv/README.md).`);
  }
}

// ------------------------------------------------------------------ health of a running cluster

async function clusterHealthy(specs) {
  for (const name of COMPONENTS) {
    if (!runningPid(name, specs[name].binary)) return false;
  }
  const checks = await Promise.all(COMPONENTS.map((n) => specs[n].healthy().catch(() => false)));
  if (!checks.every(Boolean)) return false;
  try {
    const ips = await resolver().resolve4(`kubernetes.default.svc.${cluster.domain}`);
    return ips.includes(cluster.kubernetesServiceIP);
  } catch {
    return false;
  }
}

/** What the cluster was set up from; a change sends up.mjs down the full path again. */
function setupFingerprint() {
  const files = [];
  for (const d of ['launcher', 'stages', 'manifests']) {
    for (const f of fs.readdirSync(path.join(testenvDir, d)).sort()) files.push(path.join(testenvDir, d, f));
  }
  files.push(path.join(testenvDir, 'versions.env'));
  return sha256(files.map((f) => `${f}\n${fs.readFileSync(f, 'utf8')}`).join('\n') + JSON.stringify(ports));
}

// ------------------------------------------------------------------ main

async function main() {
  log(`Bosun testenv: Kubernetes ${versions.kubernetes}, etcd ${versions.etcd}, kwok ${versions.kwok}, CoreDNS ${versions.coredns}, metrics-server ${versions.metricsServer}`);
  log(`state dir ${stateDir}`);

  // Fast path: the cluster from this state dir is already up and healthy.
  const fingerprint = setupFingerprint();
  const previous = (() => {
    try {
      return JSON.parse(fs.readFileSync(testenvJsonPath, 'utf8'));
    } catch {
      return null;
    }
  })();
  if (previous?.fingerprint === fingerprint && fs.existsSync(path.join(dirs.pki, 'ca.crt'))) {
    const bin = binaries(defaultBinDir(), versions);
    const pki = ensurePKI();
    const kc = {
      admin: kubeconfigPath,
      ...Object.fromEntries(['controllerManager', 'scheduler', 'kwok', 'coredns', 'metricsServer'].map((k) => [k, ''])),
    };
    if (await clusterHealthy(componentSpecs(bin, pki, kc))) {
      log(`already up and healthy (apiserver ${apiserverURL}, DNS ${HOST}:${ports.DNS}); nothing to do`);
      log(`ready in ${elapsed(started)}: KUBECONFIG=${kubeconfigPath}`);
      return;
    }
  }

  const binDir = await runBuild();
  const bin = binaries(binDir, versions);
  for (const [k, f] of Object.entries(bin)) if (!fs.existsSync(f)) fail(`build.sh did not produce ${k}: ${f}`);

  mkdirs();
  const pki = ensurePKI();
  log('PKI ready (CA, front-proxy CA, service-account key, component certificates)');
  const kc = writeKubeconfigs(pki);
  writeConfigs();
  const specs = componentSpecs(bin, pki, kc);
  await portsFree(specs);
  const kubectl = kubectlRunner(bin.kubectl, kc.admin);

  await startAndWait('etcd', specs.etcd, bin);
  await startAndWait('kube-apiserver', specs['kube-apiserver'], bin, 90000);
  // The controller-manager and scheduler start now and are checked at the end.
  for (const name of ['kube-controller-manager', 'kube-scheduler']) await ensureStarted(name, specs[name]);

  // kwok's CRDs, stages and metrics objects, before kwok starts.
  const kwokDir = kwokModuleDir();
  const crds = ['stages', 'clusterresourceusages', 'resourceusages'].map((n) =>
    fs.readFileSync(path.join(kwokDir, 'kustomize/crd/bases', `kwok.x-k8s.io_${n}.yaml`), 'utf8'),
  );
  await apply(kubectl, crds.join('\n---\n'), 'kwok CRDs');
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s',
    'crd/stages.kwok.x-k8s.io',
    'crd/clusterresourceusages.kwok.x-k8s.io', 'crd/resourceusages.kwok.x-k8s.io']);
  await apply(kubectl, await upstreamStages(kubectl, kwokDir), 'kwok default stages');
  const ours = fs.readdirSync(path.join(testenvDir, 'stages')).filter((f) => f.endsWith('.yaml')).sort();
  await apply(kubectl, ours.map((f) => fs.readFileSync(path.join(testenvDir, 'stages', f), 'utf8')).join('\n---\n'), 'bosun stages');
  // Per-pod usage from the annotations kwok.x-k8s.io/usage-cpu and kwok.x-k8s.io/usage-memory
  // (default 1m / 1Mi per container); ResourceUsage objects can set it per pod too.
  await apply(kubectl, fs.readFileSync(path.join(kwokDir, 'kustomize/metrics/usage/usage-from-annotation.yaml'), 'utf8'), 'kwok usage objects');
  writeKwokConfig(kwokMetricConfig(kwokDir));
  // kwok reads its config file only at start: a changed file counts as changed flags.
  specs.kwok.env.BOSUN_KWOK_CONFIG_SHA256 = sha256(fs.readFileSync(path.join(dirs.config, 'kwok.yaml'), 'utf8'));
  log(`kwok CRDs, ${5 + ours.length} stage files and usage objects applied`);
  await startAndWait('kwok', specs.kwok, bin);

  // Nodes and add-ons.
  const vars = {
    KUBERNETES_VERSION: versions.kubernetes,
    KWOK_VERSION: versions.kwok,
    COREDNS_VERSION: versions.coredns,
    METRICS_SERVER_VERSION: versions.metricsServer,
    METRICS_SERVER_PORT: ports.METRICS_SERVER,
    DNS_SERVICE_IP: cluster.dnsServiceIP,
    CLUSTER_DOMAIN: cluster.domain,
    CA_BUNDLE: fs.readFileSync(pki.ca.crt).toString('base64'),
    APISERVER_URL: apiserverURL,
  };
  const manifests = fs.readdirSync(path.join(testenvDir, 'manifests')).filter((f) => f.endsWith('.yaml')).sort();
  await apply(kubectl, manifests.map((f) => renderManifest(path.join(testenvDir, 'manifests', f), vars)).join('\n---\n'), 'manifests');
  log(`manifests applied: ${manifests.join(', ')}`);

  await startAndWait('coredns', specs.coredns, bin);
  await startAndWait('metrics-server', specs['metrics-server'], bin);
  await startAndWait('kube-controller-manager', specs['kube-controller-manager'], bin);
  await startAndWait('kube-scheduler', specs['kube-scheduler'], bin);

  // The cluster as a user sees it.
  let t = Date.now();
  await waitFor('3 Ready nodes', async () => {
    const nodes = (await kubectl.json(['get', 'nodes'])).items;
    const ready = nodes.filter((n) => cluster.nodes.includes(n.metadata.name) &&
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === cluster.nodes.length;
  }, { timeoutMs: 60000, hint: () => tailLog('kwok') });
  log(`nodes Ready: ${cluster.nodes.join(', ')} (${elapsed(t)})`);

  t = Date.now();
  await waitFor('the coredns Deployment to be Available with kube-dns endpoints', async () => {
    const d = await kubectl.json(['-n', 'kube-system', 'get', 'deployment', 'coredns']);
    if ((d.status?.readyReplicas ?? 0) < (d.spec.replicas ?? 1)) return false;
    const eps = await kubectl.json(['-n', 'kube-system', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=kube-dns']);
    return eps.items.some((s) => (s.endpoints || []).some((e) => e.conditions?.ready));
  }, { timeoutMs: 90000, hint: () => tailLog('kube-controller-manager') });
  await waitFor(`DNS on ${HOST}:${ports.DNS} to answer kubernetes.default`, async () => {
    const ips = await resolver().resolve4(`kubernetes.default.svc.${cluster.domain}`);
    return ips.includes(cluster.kubernetesServiceIP);
  }, { timeoutMs: 30000, hint: () => tailLog('coredns') });
  log(`DNS add-on ready: coredns pods Ready, kube-dns ${cluster.dnsServiceIP} has endpoints, ${HOST}:${ports.DNS} resolves kubernetes.default (${elapsed(t)})`);

  t = Date.now();
  await waitFor('APIService v1beta1.metrics.k8s.io Available and node metrics', async () => {
    const svc = await kubectl.json(['get', 'apiservice', 'v1beta1.metrics.k8s.io']);
    if (!svc.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')) return false;
    const r = await kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes'], { allowFail: true });
    return r.code === 0 && JSON.parse(r.stdout).items.length >= cluster.nodes.length;
  }, { timeoutMs: 90000, intervalMs: 1000, hint: () => tailLog('metrics-server') });
  log(`metrics API available: kubectl top nodes works (${elapsed(t)})`);

  const nodes = (await kubectl.json(['get', 'nodes'])).items.map((n) => n.metadata.name);
  const info = {
    kubeconfig: kubeconfigPath,
    apiserver: apiserverURL,
    dns: `${HOST}:${ports.DNS}`,
    kubectl: bin.kubectl,
    nodes,
    versions,
    caCert: pki.ca.crt,
    startedAt: new Date(started).toISOString(),
    stateDir,
    ports,
    dnsServiceIP: cluster.dnsServiceIP,
    serviceCIDR: cluster.serviceCIDR,
    clusterCIDR: cluster.clusterCIDR,
    fingerprint,
  };
  fs.mkdirSync(bosunDir, { recursive: true });
  fs.writeFileSync(`${testenvJsonPath}.tmp`, JSON.stringify(info, null, 2) + '\n');
  fs.renameSync(`${testenvJsonPath}.tmp`, testenvJsonPath);

  log(`ready in ${elapsed(started)}`);
  process.stdout.write(
    [
      '',
      `  apiserver   ${apiserverURL}`,
      `  kubeconfig  ${kubeconfigPath}`,
      `  kubectl     ${bin.kubectl}`,
      `  DNS         ${HOST}:${ports.DNS} (kube-dns ClusterIP ${cluster.dnsServiceIP})`,
      `  nodes       ${nodes.join(', ')}`,
      `  details     ${testenvJsonPath}`,
      `  try         KUBECONFIG=${shortPath(kubeconfigPath)} ${bin.kubectl} get nodes`,
      `  stop        npm run testenv:down  (--purge to delete all state)`,
      '',
    ].join('\n'),
  );
}

main().catch((e) => fail(`${e.message}\n(processes started so far keep running; inspect ${dirs.logs}, then npm run testenv:down)`));

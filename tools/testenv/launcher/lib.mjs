// Shared pieces of the Bosun test control plane launcher: paths, ports, processes,
// PKI, health checks and the built kubectl. Node built-ins only.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const testenvDir = path.resolve(here, '..');
export const repoRoot = path.resolve(testenvDir, '..', '..');
export const bosunDir = path.join(repoRoot, '.bosun');
// BOSUN_TESTENV_DIR runs a second, separate cluster (with other ports): its kubeconfig
// and testenv.json are then written inside that directory instead of .bosun/.
export const customStateDir = Boolean(process.env.BOSUN_TESTENV_DIR);
export const stateDir = path.resolve(process.env.BOSUN_TESTENV_DIR || path.join(bosunDir, 'testenv'));
export const kubeconfigPath = path.join(customStateDir ? stateDir : bosunDir, 'kubeconfig');
export const testenvJsonPath = path.join(customStateDir ? stateDir : bosunDir, 'testenv.json');

export const dirs = {
  pki: path.join(stateDir, 'pki'),
  kubeconfigs: path.join(stateDir, 'kubeconfigs'),
  logs: path.join(stateDir, 'logs'),
  pids: path.join(stateDir, 'pids'),
  etcd: path.join(stateDir, 'etcd-data'),
  config: path.join(stateDir, 'config'),
};

/** Ports, each overridable by BOSUN_TESTENV_<NAME>_PORT. All bound to 127.0.0.1. */
const portDefaults = {
  APISERVER: 16443,
  ETCD: 12379,
  ETCD_PEER: 12380,
  DNS: 1053,
  CONTROLLER_MANAGER: 16257,
  SCHEDULER: 16259,
  KWOK: 16250,
  METRICS_SERVER: 16445,
  COREDNS_HEALTH: 16080,
  COREDNS_READY: 16181,
  COREDNS_METRICS: 16153,
};
export const ports = Object.fromEntries(
  Object.entries(portDefaults).map(([name, def]) => {
    const raw = process.env[`BOSUN_TESTENV_${name}_PORT`];
    const port = raw ? Number(raw) : def;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`BOSUN_TESTENV_${name}_PORT=${raw} is not a port`);
    }
    return [name, port];
  }),
);

export const HOST = '127.0.0.1';

// Start-up order; down.mjs stops them in reverse.
export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'coredns', 'metrics-server'];
export const cluster = {
  name: 'bosun-testenv',
  serviceCIDR: '10.96.0.0/16',
  kubernetesServiceIP: '10.96.0.1',
  dnsServiceIP: '10.96.0.10',
  clusterCIDR: '10.244.0.0/16',
  domain: 'cluster.local',
  nodes: ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'],
};

export function readVersions() {
  const text = fs.readFileSync(path.join(testenvDir, 'versions.env'), 'utf8');
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(\S+)/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return {
    kubernetes: out.KUBERNETES_VERSION,
    etcd: out.ETCD_VERSION,
    kwok: out.KWOK_VERSION,
    coredns: out.COREDNS_VERSION,
    metricsServer: out.METRICS_SERVER_VERSION,
  };
}

export function binaries(binDir, v) {
  return {
    etcd: path.join(binDir, `etcd-${v.etcd}`),
    kubeApiserver: path.join(binDir, `kube-apiserver-${v.kubernetes}`),
    kubeControllerManager: path.join(binDir, `kube-controller-manager-${v.kubernetes}`),
    kubeScheduler: path.join(binDir, `kube-scheduler-${v.kubernetes}`),
    kubectl: path.join(binDir, `kubectl-${v.kubernetes}`),
    kwok: path.join(binDir, `kwok-${v.kwok}`),
    coredns: path.join(binDir, `coredns-${v.coredns}`),
    metricsServer: path.join(binDir, `metrics-server-${v.metricsServer}`),
  };
}

/** Where build.sh puts binaries, without building (for down.mjs and the fast path). */
export function defaultBinDir() {
  const root = process.env.BOSUN_CACHE || path.join(process.env.HOME || '/root', '.cache', 'bosun');
  return path.join(root, 'testenv', 'bin');
}

// ---------------------------------------------------------------- output

const t0 = Date.now();
export function elapsed(from = t0) {
  return `${((Date.now() - from) / 1000).toFixed(1)}s`;
}
/** A path relative to the working directory when it is inside it, else absolute. */
export function shortPath(p) {
  const rel = path.relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}
export function log(msg) {
  process.stdout.write(`[testenv ${elapsed().padStart(6)}] ${msg}\n`);
}
export function fail(msg) {
  process.stderr.write(`[testenv] ERROR: ${msg}\n`);
  process.exit(1);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function mkdirs() {
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.chmodSync(dirs.etcd, 0o700); // etcd warns about anything wider
  fs.chmodSync(dirs.pki, 0o700);
}

// ---------------------------------------------------------------- processes

export function pidFile(name) {
  return path.join(dirs.pids, `${name}.pid`);
}
export function logFile(name) {
  return path.join(dirs.logs, `${name}.log`);
}

function cmdlineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return null;
  }
}

/** The pid recorded for a component if that process is alive and still runs `binary`. */
export function runningPid(name, binary) {
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile(name), 'utf8').trim());
  } catch {
    return null;
  }
  if (!pid) return null;
  const cmd = cmdlineOf(pid);
  if (!cmd) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return null; // zombie
  } catch {
    return null;
  }
  if (binary && cmd[0] !== binary) return null;
  if (!binary && !cmd[0].startsWith(defaultBinDir()) && !cmd.join(' ').includes(stateDir)) return null;
  return pid;
}

/** Starts a detached background process; stdout/stderr go to logs/<name>.log. */
export function startProcess(name, binary, args, opts = {}) {
  const out = fs.openSync(logFile(name), 'a');
  fs.writeSync(out, `\n=== ${new Date().toISOString()} ${binary} ${args.join(' ')}\n`);
  const child = spawn(binary, args, {
    cwd: opts.cwd || stateDir,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...(opts.env || {}) },
  });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`could not start ${name} (${binary})`);
  fs.writeFileSync(pidFile(name), `${child.pid}\n`);
  fs.writeFileSync(pidFile(name).replace(/\.pid$/, '.spec'), processSpec(binary, args, opts.env));
  child.unref();
  return child.pid;
}

/** Fingerprint of how a component was started, to restart it when its flags change. */
export function processSpec(binary, args, env) {
  return sha256(JSON.stringify({ binary, args, env: env || {} }));
}
export function recordedSpec(name) {
  try {
    return fs.readFileSync(pidFile(name).replace(/\.pid$/, '.spec'), 'utf8');
  } catch {
    return '';
  }
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** SIGTERM, wait, then SIGKILL. Only for pids this launcher recorded. */
export async function stopPid(pid, timeoutMs = 10000) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!alive(pid)) return 'TERM';
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  return 'KILL';
}

export function tailLog(name, lines = 25) {
  try {
    const text = fs.readFileSync(logFile(name), 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port, host = HOST) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(500);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------- HTTP

/** GET a URL; resolves {status, body} or {status: 0, error}. Never throws. */
export function httpGet(url, { cert, key, ca, timeoutMs = 2000 } = {}) {
  return new Promise((resolve) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(
      u,
      {
        timeout: timeoutMs,
        cert: cert && fs.readFileSync(cert),
        key: key && fs.readFileSync(key),
        ca: ca && fs.readFileSync(ca),
        rejectUnauthorized: Boolean(ca),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, error: e.message, body: '' }));
  });
}

/** Polls check() until it returns a truthy value; throws with a hint on timeout. */
export async function waitFor(what, check, { timeoutMs = 60000, intervalMs = 250, hint } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until || last?.fatal) {
      const extra = typeof hint === 'function' ? hint() : hint;
      throw new Error(`${last?.fatal ? 'failed' : `timed out after ${timeoutMs / 1000}s`} waiting for ${what}${last ? ` (${last.message})` : ''}${extra ? `\n${extra}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------- kubectl

export function kubectlRunner(kubectl, kubeconfig) {
  const run = (args, { input, timeoutMs = 60000, allowFail = false } = {}) =>
    new Promise((resolve, reject) => {
      const child = execFile(
        kubectl,
        ['--kubeconfig', kubeconfig, ...args],
        { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
        (err, stdout, stderr) => {
          if (err && !allowFail) {
            reject(new Error(`kubectl ${args.join(' ')} failed: ${(stderr || err.message).trim()}`));
          } else resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin.end(input);
    });
  run.json = async (args, opts) => JSON.parse((await run([...args, '-o', 'json'], opts)).stdout);
  return run;
}

// ---------------------------------------------------------------- PKI (openssl)

function openssl(args, input) {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const pkiFile = (n) => path.join(dirs.pki, n);

function ensureKey(name) {
  const key = pkiFile(`${name}.key`);
  // ECDSA P-256: generated in milliseconds (RSA-2048 took ~0.4 s per key here), and
  // accepted everywhere it is used, service-account token signing (ES256) included.
  if (!fs.existsSync(key)) openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  return key;
}

function ensureCA(name, cn) {
  const crt = pkiFile(`${name}.crt`);
  const key = ensureKey(name);
  if (!fs.existsSync(crt)) {
    openssl([
      'req', '-x509', '-new', '-key', key, '-sha256', '-days', '3650', '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
      '-out', crt,
    ]);
  }
  return { crt, key };
}

/**
 * A leaf certificate signed by `ca`. usage: 'server' | 'client' | 'both'.
 * Regenerated when its subject/SANs change (recorded in <name>.spec).
 */
function ensureCert(name, ca, { cn, orgs = [], dns = [], ips = [], usage }) {
  const crt = pkiFile(`${name}.crt`);
  const specFile = pkiFile(`${name}.spec`);
  const spec = JSON.stringify({ cn, orgs, dns, ips, usage, ca: ca.crt });
  if (fs.existsSync(crt) && fs.existsSync(specFile) && fs.readFileSync(specFile, 'utf8') === spec) {
    return { crt, key: pkiFile(`${name}.key`) };
  }
  const key = ensureKey(name);
  const subj = `/${orgs.map((o) => `O=${o}/`).join('')}CN=${cn}`;
  const csr = openssl(['req', '-new', '-key', key, '-subj', subj]);
  const eku = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' }[usage];
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${eku}`,
  ];
  const sans = [...dns.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)];
  if (sans.length) ext.push(`subjectAltName=${sans.join(',')}`);
  const extFile = pkiFile(`${name}.ext`);
  fs.writeFileSync(extFile, ext.join('\n') + '\n');
  openssl(
    ['x509', '-req', '-CA', ca.crt, '-CAkey', ca.key, '-CAcreateserial', '-sha256', '-days', '3650',
      '-extfile', extFile, '-out', crt],
    csr,
  );
  fs.rmSync(extFile);
  fs.writeFileSync(specFile, spec);
  return { crt, key };
}

/** Creates (once) every key and certificate the cluster needs; returns their paths. */
export function ensurePKI() {
  const ca = ensureCA('ca', 'kubernetes');
  const frontProxyCA = ensureCA('front-proxy-ca', 'front-proxy-ca');
  const saKey = ensureKey('sa');
  const saPub = pkiFile('sa.pub');
  if (!fs.existsSync(saPub)) openssl(['pkey', '-in', saKey, '-pubout', '-out', saPub]);
  const loop = { ips: [HOST], dns: ['localhost'] };
  return {
    ca,
    frontProxyCA,
    sa: { key: saKey, pub: saPub },
    apiserver: ensureCert('apiserver', ca, {
      cn: 'kube-apiserver',
      usage: 'server',
      ips: [HOST, cluster.kubernetesServiceIP],
      dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${cluster.domain}`],
    }),
    apiserverKubeletClient: ensureCert('apiserver-kubelet-client', ca, {
      cn: 'kube-apiserver-kubelet-client', orgs: ['kubeadm:cluster-admins'], usage: 'client',
    }),
    frontProxyClient: ensureCert('front-proxy-client', frontProxyCA, { cn: 'front-proxy-client', usage: 'client' }),
    admin: ensureCert('admin', ca, { cn: 'kubernetes-admin', orgs: ['system:masters'], usage: 'client' }),
    controllerManager: ensureCert('controller-manager', ca, { cn: 'system:kube-controller-manager', usage: 'client' }),
    scheduler: ensureCert('scheduler', ca, { cn: 'system:kube-scheduler', usage: 'client' }),
    // kwok writes node and pod status, leases, events and reads its CRDs: cluster admin.
    kwok: ensureCert('kwok', ca, { cn: 'kwok-controller', orgs: ['system:masters'], usage: 'client' }),
    // kwok's fake kubelet server, scraped by metrics-server at the nodes' InternalIP.
    kubeletServing: ensureCert('kubelet-serving', ca, {
      cn: 'kwok-kubelet', usage: 'server', ips: loop.ips, dns: [...loop.dns, ...cluster.nodes],
    }),
    // Add-ons authenticate as their kubeadm/upstream ServiceAccount names, so the
    // upstream RBAC (ClusterRoleBindings to those ServiceAccounts) applies unchanged.
    coredns: ensureCert('coredns', ca, { cn: 'system:serviceaccount:kube-system:coredns', usage: 'client' }),
    metricsServer: ensureCert('metrics-server', ca, {
      cn: 'system:serviceaccount:kube-system:metrics-server', usage: 'client',
    }),
    metricsServerServing: ensureCert('metrics-server-serving', ca, {
      cn: 'metrics-server', usage: 'server', ips: loop.ips,
      dns: [...loop.dns, 'metrics-server.kube-system.svc', `metrics-server.kube-system.svc.${cluster.domain}`],
    }),
  };
}

export function writeKubeconfig(file, { server, ca, cert, key, user }) {
  const b64 = (f) => fs.readFileSync(f).toString('base64');
  const text = `apiVersion: v1
kind: Config
clusters:
- name: ${cluster.name}
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(ca)}
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(cert)}
    client-key-data: ${b64(key)}
contexts:
- name: ${cluster.name}
  context:
    cluster: ${cluster.name}
    user: ${user}
current-context: ${cluster.name}
`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

export function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

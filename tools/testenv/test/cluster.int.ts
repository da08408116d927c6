// Integration tests of the local test control plane (tools/testenv). They need a
// running cluster: `npm run testenv:up` writes .bosun/testenv.json, which they read.
//
//   bash scripts/with-node.sh jest --selectProjects integration --testPathPatterns tools/testenv/ --testTimeout 180000
// (--selectProjects takes several values: give the path with --testPathPatterns.)
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import fs from 'node:fs';
import path from 'node:path';

interface TestenvInfo {
  kubeconfig: string;
  apiserver: string;
  dns: string;
  kubectl: string;
  nodes: string[];
  versions: Record<string, string>;
  caCert: string;
  startedAt: string;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');
// BOSUN_TESTENV_JSON points at another cluster's file (one started with BOSUN_TESTENV_DIR).
const infoPath = process.env.BOSUN_TESTENV_JSON || path.join(repoRoot, '.bosun', 'testenv.json');
if (!fs.existsSync(infoPath)) {
  throw new Error(`${infoPath} is missing: the test cluster is not up. Run npm run testenv:up first.`);
}
const info = JSON.parse(fs.readFileSync(infoPath, 'utf8')) as TestenvInfo;

// ------------------------------------------------------------------ helpers

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      info.kubectl,
      ['--kubeconfig', info.kubeconfig, ...args],
      { maxBuffer: 32 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`));
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function kj(args: string[]): Promise<Json> {
  return JSON.parse(await kubectl([...args, '-o', 'json']));
}

async function apply(obj: Json): Promise<void> {
  await kubectl(['apply', '--server-side', '--field-manager=bosun-testenv-it', '-f', '-'], JSON.stringify(obj));
}

/** Polls fn until it returns a truthy value; on timeout fails with the last value seen. */
async function poll<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** CPU in cores and memory in bytes from Kubernetes quantities ("250m", "251034124n", "300Mi", "307200Ki"). */
function quantity(q: string): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const factor: Record<string, number> = {
    '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3,
  };
  if (!(m[2] in factor)) throw new Error(`unknown suffix in ${q}`);
  return Number(m[1]) * factor[m[2]];
}

const condition = (obj: Json, type: string): Json => (obj.status?.conditions ?? []).find((c: Json) => c.type === type);

const dns = new Resolver({ timeout: 2000, tries: 1 });
dns.setServers([info.dns]);

// ------------------------------------------------------------------ fixtures

const ns = `bosun-testenv-it-${randomBytes(3).toString('hex')}`;
const container = (image: string) => ({ name: 'app', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } });
const pod = (name: string, image: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: name }, annotations },
  spec: { containers: [container(image)], terminationGracePeriodSeconds: 0 },
});

beforeAll(async () => {
  await kubectl(['create', 'namespace', ns]);
  // Everything starts at once so the slow parts (crash loops, metrics scrapes) overlap.
  await apply({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 3,
          progressDeadlineSeconds: 30,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [container('nginx:1.27')], terminationGracePeriodSeconds: 0 },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: ns },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web-headless', namespace: ns },
        spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
      },
      pod('pull', 'fail.bosun.test/image-pull:1.0'),
      pod('crash', 'fail.bosun.test/crash:1.0', { 'fail.bosun.test/backoff-seconds': '1' }),
      pod('oom', 'fail.bosun.test/oom:1.0', { 'fail.bosun.test/backoff-seconds': '1' }),
      pod('unready', 'fail.bosun.test/unready:1.0'),
      pod('hot', 'busybox:1.37', { 'kwok.x-k8s.io/usage-cpu': '300m', 'kwok.x-k8s.io/usage-memory': '200Mi' }),
    ],
  });
}, 60_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false']).catch(() => undefined);
});

const getPod = (name: string) => kj(['-n', ns, 'get', 'pod', name]);

// ------------------------------------------------------------------ tests

describe('test control plane', () => {
  test('three kwok nodes are Ready and shaped like kubeadm workers', async () => {
    const nodes = (await kj(['get', 'nodes'])).items as Json[];
    for (const name of ['kwok-node-0', 'kwok-node-1', 'kwok-node-2']) {
      const n = nodes.find((x) => x.metadata.name === name);
      expect(n).toBeDefined();
      expect(condition(n, 'Ready')?.status).toBe('True');
      expect(n.metadata.labels['kubernetes.io/hostname']).toBe(name);
      expect(n.metadata.labels['kubernetes.io/os']).toBe('linux');
      expect(n.metadata.annotations['kwok.x-k8s.io/node']).toBe('fake');
      expect(n.status.capacity).toMatchObject({ cpu: '8', memory: '32Gi', pods: '110' });
      expect(n.status.nodeInfo.kubeletVersion).toBe(info.versions.kubernetes);
    }
    expect(info.nodes).toEqual(expect.arrayContaining(['kwok-node-0', 'kwok-node-1', 'kwok-node-2']));
  });

  test('the DNS add-on looks like kubeadm: kube-dns Service with endpoints, coredns pods Ready', async () => {
    const svc = await kj(['-n', 'kube-system', 'get', 'service', 'kube-dns']);
    expect(svc.spec.clusterIP).toBe('10.96.0.10');
    expect(svc.spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(svc.spec.ports.map((p: Json) => `${p.name}/${p.port}/${p.protocol}`).sort()).toEqual(
      ['dns-tcp/53/TCP', 'dns/53/UDP', 'metrics/9153/TCP'],
    );
    const pods = (await kj(['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns'])).items as Json[];
    expect(pods.length).toBeGreaterThanOrEqual(2);
    for (const p of pods) {
      expect(p.status.phase).toBe('Running');
      expect(condition(p, 'Ready')?.status).toBe('True');
    }
    const slices = (await kj(['-n', 'kube-system', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=kube-dns'])).items as Json[];
    const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e: Json) => e.conditions?.ready);
    expect(ready.length).toBeGreaterThanOrEqual(2);
    const cm = await kj(['-n', 'kube-system', 'get', 'configmap', 'coredns']);
    expect(cm.data.Corefile).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa');
  });

  test('a Deployment becomes Available with Running, Ready pods that have IPs', async () => {
    const deploy = await poll('Deployment web Available', async () => {
      const d = await kj(['-n', ns, 'get', 'deployment', 'web']);
      return condition(d, 'Available')?.status === 'True' && d.status.readyReplicas === 3 && d;
    }, 60_000);
    expect(deploy.status.availableReplicas).toBe(3);
    const pods = (await kj(['-n', ns, 'get', 'pods', '-l', 'app=web'])).items as Json[];
    expect(pods).toHaveLength(3);
    const ips = new Set<string>();
    for (const p of pods) {
      expect(p.status.phase).toBe('Running');
      expect(condition(p, 'Ready')?.status).toBe('True');
      expect(p.status.containerStatuses[0]).toMatchObject({ ready: true, state: { running: expect.any(Object) } });
      expect(p.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
      expect(p.status.hostIP).toBe('127.0.0.1');
      expect(info.nodes).toContain(p.spec.nodeName);
      ips.add(p.status.podIP);
    }
    expect(ips.size).toBe(3);
  }, 90_000);

  test('CoreDNS resolves kubernetes.default and a Service created by the test', async () => {
    expect(await dns.resolve4('kubernetes.default.svc.cluster.local')).toEqual(['10.96.0.1']);
    const svc = await kj(['-n', ns, 'get', 'service', 'web']);
    expect(svc.spec.clusterIP).toMatch(/^10\.96\./);
    const a = await poll('A record of web', () => dns.resolve4(`web.${ns}.svc.cluster.local`), 15_000);
    expect(a).toEqual([svc.spec.clusterIP]);
    // Headless: one A record per ready pod.
    await poll('Deployment web Ready', async () => (await kj(['-n', ns, 'get', 'deployment', 'web'])).status.readyReplicas === 3, 60_000);
    const podIPs = ((await kj(['-n', ns, 'get', 'pods', '-l', 'app=web'])).items as Json[]).map((p) => p.status.podIP).sort();
    const headless = await poll('headless A records', async () => {
      const r = (await dns.resolve4(`web-headless.${ns}.svc.cluster.local`)).sort();
      return r.length === 3 && r;
    }, 15_000);
    expect(headless).toEqual(podIPs);
    await expect(dns.resolve4(`nope.${ns}.svc.cluster.local`)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  }, 90_000);

  test('fail.bosun.test/image-pull: Pending, waiting ImagePullBackOff, never Ready', async () => {
    const p = await poll('pull pod in ImagePullBackOff', async () => {
      const x = await getPod('pull');
      return x.status.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' && x;
    });
    expect(p.status.phase).toBe('Pending');
    expect(p.status.containerStatuses[0]).toMatchObject({ ready: false, restartCount: 0 });
    expect(p.status.containerStatuses[0].state.waiting.message).toContain('fail.bosun.test/image-pull:1.0');
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
  }, 60_000);

  test('fail.bosun.test/crash: CrashLoopBackOff, exit 1, restartCount grows', async () => {
    const first = await poll('crash pod in CrashLoopBackOff', async () => {
      const x = await getPod('crash');
      return x.status.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' && x;
    });
    const cs = first.status.containerStatuses[0];
    expect(first.status.phase).toBe('Running');
    expect(cs.ready).toBe(false);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cs.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=app pod=crash_/);
    expect(condition(first, 'Ready')?.status).toBe('False');
    const later = await poll('restartCount to grow', async () => {
      const x = await getPod('crash');
      return x.status.containerStatuses[0].restartCount > cs.restartCount && x;
    }, 30_000);
    expect(later.status.containerStatuses[0].restartCount).toBeGreaterThan(cs.restartCount);
  }, 60_000);

  test('fail.bosun.test/oom: lastState OOMKilled exit 137, then CrashLoopBackOff', async () => {
    const p = await poll('oom pod in CrashLoopBackOff after OOMKilled', async () => {
      const x = await getPod('oom');
      const cs = x.status.containerStatuses?.[0];
      return cs?.state?.waiting?.reason === 'CrashLoopBackOff' && cs.lastState?.terminated && x;
    });
    const cs = p.status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(cs.restartCount).toBeGreaterThanOrEqual(1);
    expect(cs.ready).toBe(false);
  }, 60_000);

  test('fail.bosun.test/unready: Running but Ready=False, and stays so', async () => {
    const p = await poll('unready pod Running', async () => {
      const x = await getPod('unready');
      return x.status.phase === 'Running' && x;
    });
    expect(p.status.podIP).toBeTruthy();
    expect(p.status.containerStatuses[0]).toMatchObject({ ready: false, started: true, state: { running: expect.any(Object) } });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    await new Promise((r) => setTimeout(r, 3000));
    const again = await getPod('unready');
    expect(condition(again, 'Ready')?.status).toBe('False');
    expect(again.status.containerStatuses[0].restartCount).toBe(0);
  }, 60_000);

  test('metrics-server reports the usage set on a pod; kubectl top works', async () => {
    const m = await poll('pod metrics of hot', async () => {
      const raw = await kubectl(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/hot`]);
      return JSON.parse(raw) as Json;
    }, 90_000, 2000);
    const usage = m.containers[0].usage;
    expect(quantity(usage.cpu)).toBeGreaterThan(0.3 * 0.9);
    expect(quantity(usage.cpu)).toBeLessThan(0.3 * 1.1);
    expect(quantity(usage.memory)).toBe(200 * 1024 ** 2);
    const top = await kubectl(['top', 'pod', 'hot', '-n', ns, '--no-headers']);
    expect(top).toMatch(/^hot\s+\d+m\s+200Mi/);
    const nodes = (await kubectl(['top', 'nodes', '--no-headers'])).trim().split('\n');
    expect(nodes).toHaveLength(info.nodes.length);
    for (const line of nodes) expect(line).not.toContain('<unknown>');
  }, 120_000);
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterRegistry } from './cluster.registry';
import type { KubeObject, KubePort } from './kube.port';
import { eventually, requireTestenv, uniqueNamespace } from './testing/kube-testenv';

jest.setTimeout(180_000);

const repo = join(__dirname, '../../../..');
const ns = uniqueNamespace('bosun-restart-it');
let registry: ClusterRegistry;
let kube: KubePort;

/** Kills the real kube-apiserver process and lets the launcher start it again (it starts what is missing). */
function restartApiserver(stateDir: string): void {
  const pid = Number(readFileSync(join(stateDir, 'pids/kube-apiserver.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  execFileSync(process.execPath, [join(repo, 'tools/testenv/launcher/up.mjs')], { stdio: 'ignore', env: process.env });
}

beforeAll(async () => {
  const env = await requireTestenv();
  registry = new ClusterRegistry({ kubeconfigPath: env.kubeconfig, backoff: { baseMs: 200, maxMs: 2000, jitter: 0.5 } });
  kube = registry.get();
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

afterAll(async () => {
  registry?.close();
  await kube?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
});

it('an informer keeps delivering after the apiserver is killed and restarted mid-test', async () => {
  const env = await requireTestenv();
  const informer = kube.informer<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' });
  const seen = new Set<string>();
  informer.onEvent((type, obj) => { if (obj.metadata.namespace === ns) seen.add(`${type} ${obj.metadata.name}`); });
  await informer.start();
  await kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: ns }, data: { v: '1' } });
  await eventually(async () => seen.has('ADDED before'), 'event before the restart');

  restartApiserver(JSON.parse(readFileSync(join(repo, '.bosun/testenv.json'), 'utf8')).stateDir ?? join(repo, '.bosun/testenv'));
  await eventually(async () => (await kube.serverVersion().then(() => true, () => false)), 'apiserver back', 60_000);

  await kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', namespace: ns }, data: { v: '2' } });
  await eventually(async () => seen.has('ADDED after'), 'event after the restart', 60_000);
  expect(informer.health()).toMatchObject({ synced: true });
  expect(informer.health().restarts).toBeGreaterThan(0);
  void env;
});

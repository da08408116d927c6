import fs from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterRegistry } from './cluster.registry';
import type { KubePort } from './kube.port';
import { kubectl, requireTestenv, uniqueNamespace, type Testenv } from './testing/kube-testenv';

jest.setTimeout(120_000);

const ns = uniqueNamespace('bosun-registry-it');
let env: Testenv;
let registry: ClusterRegistry;
let kube: KubePort;

function caData(kubeconfigPath: string): string {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster()!;
  return cluster.caData ?? fs.readFileSync(path.resolve(path.dirname(kubeconfigPath), cluster.caFile!)).toString('base64');
}

beforeAll(async () => {
  env = await requireTestenv();
  registry = new ClusterRegistry({ kubeconfigPath: env.kubeconfig });
  kube = registry.get();
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

afterAll(async () => {
  registry?.close();
  await kube?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
});

describe('ClusterRegistry against the test apiserver', () => {
  it('describes the default cluster with kubectl version skew', async () => {
    const client = JSON.parse(await kubectl(env, ['version', '--client', '-o', 'json'])).clientVersion.gitVersion as string;
    const d = await registry.describe('default', client);
    expect(d).toMatchObject({ name: 'default', default: true, reachable: true, skew: { kubectlClient: client, withinOneMinor: true } });
    expect(d.version).toMatch(/^v1\.\d+/);
    expect(d.server.replace(/\/$/, '')).toBe(String(env.apiserver).replace(/\/$/, ''));
    const skewed = await registry.describe('default', 'v1.20.0');
    expect(skewed.skew).toEqual({ kubectlClient: 'v1.20.0', withinOneMinor: false });
  });

  it('adds a cluster from an inline-token kubeconfig and acts with exactly those credentials', async () => {
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'viewer', namespace: ns } });
    await kube.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'viewer', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: ns }],
    });
    const token = (await kubectl(env, ['create', 'token', 'viewer', '-n', ns, '--duration', '10m'])).trim();
    const server = (await registry.describe('default')).server;
    const yaml = JSON.stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name: 't', cluster: { server, 'certificate-authority-data': caData(env.kubeconfig) } }],
      users: [{ name: 'viewer', user: { token } }],
      contexts: [{ name: 't', context: { cluster: 't', user: 'viewer', namespace: ns } }],
      'current-context': 't',
    });
    const name = `viewer-${Date.now().toString(36)}`;
    await expect(registry.add(name, yaml)).resolves.toEqual({ name, server });
    const d = await registry.describe(name);
    expect(d).toMatchObject({ reachable: true, default: false });
    expect(JSON.stringify(d)).not.toContain(token);

    const asViewer = registry.get(name);
    expect(await asViewer.list({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: ns })).toContainEqual(
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'viewer' }) }),
    );
    const err = await asViewer.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: ns } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'Forbidden' });
    expect((err as Error).message).toContain(`system:serviceaccount:${ns}:viewer`);
    await registry.remove(name);
    expect(registry.has(name)).toBe(false);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterExistsError, DefaultClusterRemovalError, InvalidClusterNameError, KubeconfigRejectedError, UnknownClusterError } from './cluster.errors';
import { ClusterRegistry } from './cluster.registry';
import { InMemoryClusterStore } from './cluster.store';
import type { KubeLogger } from './kube.logger';

// 127.0.0.1:9 (discard) refuses connections, so describe() sees an unreachable apiserver.
const DEAD = 'https://127.0.0.1:9';
const TOKEN = 'very-secret-token-value';

function kubeconfig(server = DEAD, user: Record<string, unknown> = { token: TOKEN }): string {
  return JSON.stringify({
    clusters: [{ name: 'c', cluster: { server } }],
    users: [{ name: 'u', user }, { name: 'unused', user: { token: 'other-secret' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  });
}

function recordingLogger(): { logger: KubeLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (obj: object, msg: string): void => void lines.push(JSON.stringify({ ...obj, msg }));
  return { logger: { info: log, warn: log, error: log, debug: log }, lines };
}

describe('ClusterRegistry', () => {
  it('loads the default cluster from a kubeconfig file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bosun-kube-'));
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, kubeconfig());
    const registry = new ClusterRegistry({ kubeconfigPath: file });
    expect(registry.names()).toEqual(['default']);
    expect(registry.get()).toBe(registry.get('default'));
    expect(() => registry.get('nope')).toThrow(UnknownClusterError);
  });

  it('adds a sanitized cluster, stores only what it uses and never logs the token', async () => {
    const store = new InMemoryClusterStore();
    const { logger, lines } = recordingLogger();
    const registry = new ClusterRegistry({ store, logger });
    await expect(registry.add('prod-eu', kubeconfig())).resolves.toEqual({ name: 'prod-eu', server: DEAD });
    expect(registry.names()).toEqual(['prod-eu']);
    const stored = (await store.load('prod-eu'))!;
    expect(stored).toContain(TOKEN);
    expect(stored).not.toContain('other-secret');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('rejects an exec kubeconfig with the field, and stores nothing', async () => {
    const store = new InMemoryClusterStore();
    const registry = new ClusterRegistry({ store });
    const err = await registry.add('evil', kubeconfig(DEAD, { exec: { command: 'sh', args: ['-c', 'touch /tmp/pwned'] } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeconfigRejectedError);
    expect(err).toMatchObject({ field: 'users[0].user.exec', message: 'users[0].user.exec: exec credential plugins are not allowed' });
    expect(await store.list()).toEqual([]);
    expect(registry.has('evil')).toBe(false);
  });

  it.each(['Prod', 'a_b', '', 'x'.repeat(64), '-a'])('refuses the cluster name %p', async (name) => {
    await expect(new ClusterRegistry().add(name, kubeconfig())).rejects.toBeInstanceOf(InvalidClusterNameError);
  });

  it('refuses duplicates, the default name, and removing the default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bosun-kube-'));
    fs.writeFileSync(path.join(dir, 'k'), kubeconfig());
    const registry = new ClusterRegistry({ kubeconfigPath: path.join(dir, 'k') });
    await registry.add('a', kubeconfig());
    await expect(registry.add('a', kubeconfig())).rejects.toBeInstanceOf(ClusterExistsError);
    await expect(registry.add('default', kubeconfig())).rejects.toBeInstanceOf(ClusterExistsError);
    await expect(registry.remove('default')).rejects.toBeInstanceOf(DefaultClusterRemovalError);
    await registry.remove('a');
    await expect(registry.remove('a')).rejects.toBeInstanceOf(UnknownClusterError);
  });

  it('restores stored clusters, skipping ones that no longer pass the sanitizer', async () => {
    const store = new InMemoryClusterStore();
    await store.save('good', kubeconfig());
    await store.save('tampered', kubeconfig(DEAD, { 'client-key': '/etc/shadow' }));
    const registry = new ClusterRegistry({ store });
    await registry.restore();
    expect(registry.names()).toEqual(['good']);
  });

  it('describes an unreachable cluster without credentials', async () => {
    const registry = new ClusterRegistry({ kubectlVersion: 'v1.36.3', describeTimeoutMs: 2000 });
    await registry.add('down', kubeconfig());
    const [d] = await registry.describeAll();
    expect(d).toMatchObject({ name: 'down', server: DEAD, default: false, reachable: false });
    expect(d.error).toContain('ECONNREFUSED');
    expect(d.version).toBeUndefined();
    expect(JSON.stringify(d)).not.toContain(TOKEN);
  });
});

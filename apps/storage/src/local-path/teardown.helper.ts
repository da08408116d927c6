import { posix } from 'node:path';
import { isKubeError } from '@bosun/kube';
import type { KubeObject, KubePort, ObjectRef } from '@bosun/kube';

/** kwok's mark on a simulated node: it runs no containers, so nothing can remove a directory there. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export interface TeardownOptions {
  namespace: string;
  image: string;
  /** The base directory volumes live under: a path outside it is never removed. */
  base: string;
  timeoutMs: number;
  pollMs?: number;
}

export type TeardownOutcome = { ok: true; how: 'helper-pod' | 'simulated-node' } | { ok: false; message: string };

type Pod = KubeObject & { status?: { phase?: string } };

/** Only a directory strictly inside the base (no `..`), as rancher refuses to remove anything else. */
export const safeToRemove = (path: string, base: string): boolean => {
  const normal = posix.normalize(path);
  const root = posix.normalize(`${base}/`);
  return normal === path && normal.startsWith(root) && normal.length > root.length && !path.split('/').includes('..');
};

/** rancher's teardown helper: a pod on the volume's node that removes its directory. */
export const teardownPod = (name: string, node: string, path: string, opts: TeardownOptions): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: opts.namespace, labels: { 'app.kubernetes.io/managed-by': 'bosun', 'bosun.dev/local-path-helper': 'delete' } },
  spec: {
    nodeName: node, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }],
    containers: [{
      name: 'helper-pod', image: opts.image, command: ['/bin/sh', '-c', 'rm -rf "$VOL_DIR"'],
      env: [{ name: 'VOL_DIR', value: path }], volumeMounts: [{ name: 'data', mountPath: posix.dirname(path) }],
    }],
    volumes: [{ name: 'data', hostPath: { path: posix.dirname(path), type: 'DirectoryOrCreate' } }],
  },
});

/**
 * Removes a volume's directory on its node: on a real node with a helper pod (made, waited for
 * until Succeeded, deleted), on a kwok node not at all (nothing runs there; the caller records
 * it). Made as Bosun's own account, in the provisioner's namespace.
 */
export const removeVolumeDirectory = async (
  port: KubePort, volume: string, where: { node: string; path: string }, opts: TeardownOptions,
): Promise<TeardownOutcome> => {
  if (!safeToRemove(where.path, opts.base)) return { ok: false, message: `refusing to remove ${where.path}: not inside ${opts.base}` };
  const node = await port.get<KubeObject>({ apiVersion: 'v1', kind: 'Node', name: where.node });
  const annotations = (node?.metadata.annotations ?? {}) as Record<string, string>;
  if (node && annotations[KWOK_NODE_ANNOTATION] !== undefined) return { ok: true, how: 'simulated-node' };
  // A node that is gone took its directory with it.
  if (!node) return { ok: true, how: 'simulated-node' };
  const name = `helper-pod-delete-${volume}`.slice(0, 63);
  const ref: ObjectRef = { apiVersion: 'v1', kind: 'Pod', namespace: opts.namespace, name };
  try {
    await port.create(teardownPod(name, where.node, where.path, opts));
  } catch (err) {
    if (!isKubeError(err, 'AlreadyExists')) throw err;
  }
  try {
    return await waitForPod(port, ref, opts);
  } finally {
    await port.delete(ref).catch(() => undefined);
  }
};

const waitForPod = async (port: KubePort, ref: ObjectRef, opts: TeardownOptions): Promise<TeardownOutcome> => {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const phase = (await port.get<Pod>(ref))?.status?.phase;
    if (phase === 'Succeeded') return { ok: true, how: 'helper-pod' };
    if (phase === 'Failed') return { ok: false, message: `helper pod ${ref.name} failed to remove the directory` };
    if (Date.now() > deadline) return { ok: false, message: `helper pod ${ref.name} did not finish within ${opts.timeoutMs / 1000} s` };
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
  }
};

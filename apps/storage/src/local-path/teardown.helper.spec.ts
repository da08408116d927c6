import type { KubeObject } from '@bosun/kube';
import { asPort, FakeKubePort } from '../testing/fake-kube.port';
import { removeVolumeDirectory, safeToRemove } from './teardown.helper';

const opts = { namespace: 'kube-system', image: 'busybox:1.37', base: '/opt/lp', timeoutMs: 500, pollMs: 5 };
const realNode: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
const where = { node: 'n1', path: '/opt/lp/pvc-1_ns_data' };

describe('removeVolumeDirectory', () => {
  it('runs a helper pod on the volume\'s node that removes the directory, waits for it and deletes it', async () => {
    const fake = new FakeKubePort().seed(realNode);
    fake.informer({ apiVersion: 'v1', kind: 'Pod' }).onEvent((type, pod) => {
      // The kubelet's part: the pod runs and succeeds.
      if (type === 'ADDED') setTimeout(() => void fake.patch({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: pod.metadata.name }, { status: { phase: 'Succeeded' } }), 20);
    });
    expect(await removeVolumeDirectory(asPort(fake), 'pvc-1', where, opts)).toEqual({ ok: true, how: 'helper-pod' });
    expect(fake.calls).toEqual(expect.arrayContaining(['create Pod helper-pod-delete-pvc-1', 'delete Pod helper-pod-delete-pvc-1']));
    expect(fake.all('Pod')).toEqual([]);
  });

  it('reports a helper pod that fails or never finishes; the caller keeps the PV', async () => {
    const fake = new FakeKubePort().seed(realNode);
    expect(await removeVolumeDirectory(asPort(fake), 'pvc-1', where, opts)).toEqual({ ok: false, message: 'helper pod helper-pod-delete-pvc-1 did not finish within 0.5 s' });
  });

  it('the helper pod mounts the parent directory and removes only VOL_DIR', async () => {
    const fake = new FakeKubePort().seed(realNode);
    fake.informer({ apiVersion: 'v1', kind: 'Pod' }).onEvent((type, pod) => {
      if (type !== 'ADDED') return;
      expect(pod).toMatchObject({ spec: { nodeName: 'n1', restartPolicy: 'Never', volumes: [{ hostPath: { path: '/opt/lp' } }], containers: [{ image: 'busybox:1.37', env: [{ name: 'VOL_DIR', value: '/opt/lp/pvc-1_ns_data' }] }] } });
      void fake.patch({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: pod.metadata.name }, { status: { phase: 'Failed' } });
    });
    expect(await removeVolumeDirectory(asPort(fake), 'pvc-1', where, opts)).toEqual({ ok: false, message: 'helper pod helper-pod-delete-pvc-1 failed to remove the directory' });
  });

  it('never touches a path outside the base', async () => {
    expect(safeToRemove('/opt/lp/pvc-1', '/opt/lp')).toBe(true);
    expect(safeToRemove('/opt/lp', '/opt/lp')).toBe(false);
    expect(safeToRemove('/opt/lp/../etc', '/opt/lp')).toBe(false);
    expect(safeToRemove('/etc/passwd', '/opt/lp')).toBe(false);
    const fake = new FakeKubePort().seed(realNode);
    expect(await removeVolumeDirectory(asPort(fake), 'pvc-1', { node: 'n1', path: '/etc' }, opts)).toEqual({ ok: false, message: 'refusing to remove /etc: not inside /opt/lp' });
    expect(fake.calls).toEqual([]);
  });
});

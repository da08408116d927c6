import { createLogger } from '@bosun/logging';
import type { KubeObject } from '@bosun/kube';
import { asPort, FakeKubePort } from '../testing/fake-kube.port';
import { ensureLocalPathClass, localPathClass } from './local-path.class';

const logger = createLogger('test', 'silent');
const cls = (name: string, isDefault: boolean): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'x',
  metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
});
const annotationOf = (fake: FakeKubePort): string | undefined =>
  (fake.all('StorageClass').find((c) => c.metadata.name === 'local-path')?.metadata.annotations as Record<string, string> | undefined)?.['storageclass.kubernetes.io/is-default-class'];

describe('ensureLocalPathClass', () => {
  it('creates local-path as the default when the cluster has none', async () => {
    const fake = new FakeKubePort().seed(cls('other', false));
    expect(await ensureLocalPathClass(asPort(fake), logger)).toBe('created');
    expect(fake.all('StorageClass').find((c) => c.metadata.name === 'local-path')).toMatchObject({ provisioner: 'bosun.dev/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete', allowVolumeExpansion: true });
    expect(annotationOf(fake)).toBe('true');
  });

  it('creates it without the mark when another class is the default', async () => {
    const fake = new FakeKubePort().seed(cls('standard', true));
    expect(await ensureLocalPathClass(asPort(fake), logger)).toBe('created');
    expect(annotationOf(fake)).toBeUndefined();
  });

  it('marks an existing local-path default only when there is none; otherwise leaves it', async () => {
    const none = new FakeKubePort().seed(localPathClass(false));
    expect(await ensureLocalPathClass(asPort(none), logger)).toBe('marked-default');
    expect(annotationOf(none)).toBe('true');
    const other = new FakeKubePort().seed(localPathClass(false), cls('standard', true));
    expect(await ensureLocalPathClass(asPort(other), logger)).toBe('present');
    expect(other.calls).toEqual([]);
  });
});

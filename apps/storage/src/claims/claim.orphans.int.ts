import type { OrphanReport } from '@bosun/contracts';
import { eventually } from '@bosun/testing';
import { deploymentWithClaim } from '../testing/local-path.fixtures';
import { StorageHarness } from '../testing/storage.harness';
import type { Json } from '../testing/storage.harness';

// Orphans: claims no pod mounts (a StatefulSet's leftovers named), never a claim in use.
let h: StorageHarness;
let ns: string;
let manual: string;

beforeAll(async () => {
  h = await StorageHarness.withOptions({ ensureLocalPathClass: false });
  await h.start();
  ns = await h.namespace('storage-orphans');
  manual = await h.storageClass('manual');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const claim = (name: string): Record<string, unknown> => ({ namespace: ns, name, size: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual });

const statefulSet = (replicas: number): Json => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: ns },
  spec: {
    replicas, serviceName: 'db', selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:17', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: manual, resources: { requests: { storage: '1Gi' } } } }],
  },
});

describe('storage: orphaned claims', () => {
  it('lists a claim no pod mounts and never one a pod uses; a scaled-down StatefulSet\'s claim names it', async () => {
    await h.succeeded(await h.command('create-claim', claim('used')));
    await h.succeeded(await h.command('create-claim', claim('loose')));
    await h.admin.create(deploymentWithClaim(ns, 'user', 'used'));
    await eventually(async () => ((await h.admin.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: 'app=user' })).length ? true : undefined), 'the pod');

    await h.admin.create(statefulSet(1));
    await eventually(async () => ((await h.claim(ns, 'data-db-0')) ? true : undefined), 'the StatefulSet claim', 30_000);
    const first = await h.query<OrphanReport>('orphans', { namespace: ns });
    expect(first.ok && first.value.claims.map((c) => c.name)).toEqual(['loose']);

    await h.admin.patch({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'db' }, { spec: { replicas: 0 } }, 'merge');
    const report = await eventually(async () => {
      const r = await h.query<OrphanReport>('orphans', { namespace: ns });
      return r.ok && r.value.claims.length === 2 ? r.value : undefined;
    }, 'the StatefulSet claim orphaned', 30_000);
    expect(report.claims.map((c) => c.name)).toEqual(['data-db-0', 'loose']);
    expect(report.claims[0]).toMatchObject({ statefulSet: { name: 'db', template: 'data', ordinal: 0, exists: true }, reason: expect.stringContaining('StatefulSet db has 0 replicas') });
    expect(report.claims[1]).toMatchObject({ namespace: ns, name: 'loose', size: '1Gi', reason: 'no pod mounts it' });
  }, 90_000);
});

import type { ExpandClaimResult, VolumeResult, VolumeView } from '@bosun/contracts';
import { OPERATION_ID_ANNOTATION } from '@bosun/kube';
import { eventually } from '@bosun/testing';
import { StorageHarness } from '../testing/storage.harness';

// Static volumes through the service against the real PV controller: create, reclaim policy,
// Retain → Released → release → Available → bound again; expansion refusals; bad input.
let h: StorageHarness;
let ns: string;
let manual: string;
let pv: string;

beforeAll(async () => {
  h = await StorageHarness.withOptions({ ensureLocalPathClass: false });
  await h.start();
  ns = await h.namespace('storage-vol');
  manual = await h.storageClass('manual');
  pv = h.volumeName('pv-life');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const claim = (name: string, size = '1Gi'): Record<string, unknown> => ({ namespace: ns, name, size, accessModes: ['ReadWriteOnce'], storageClassName: manual });

describe('storage: static volumes, release and reclaim (real PV controller)', () => {
  it('create-volume applies the PV as field manager bosun with the marker; it becomes Available', async () => {
    const op = await h.command('create-volume', { name: pv, capacity: '2Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual });
    const result = (await h.succeeded(op)).result as unknown as VolumeResult;
    expect(result).toMatchObject({ name: pv, capacity: '2Gi', reclaimPolicy: 'Retain', storageClassName: manual, hostPath: `/var/lib/bosun/volumes/${pv}`, changed: true });
    const live = await h.volumeUntil(pv, (v) => v?.status?.phase === 'Available', 'Available');
    expect(live?.metadata.annotations[OPERATION_ID_ANNOTATION]).toBe(op);
    expect(live?.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain('bosun/Apply');
    const list = await h.query<VolumeView[]>('volumes', {});
    expect(list.ok && list.value.find((v) => v.name === pv)).toMatchObject({ phase: 'Available' });
  }, 60_000);

  it('patch-volume changes the reclaim policy (and is a no-op when it already has it)', async () => {
    const op = await h.command('patch-volume', { name: pv, reclaimPolicy: 'Delete' });
    expect((await h.succeeded(op)).result).toMatchObject({ reclaimPolicy: 'Delete', changed: true });
    const back = await h.command('patch-volume', { name: pv, reclaimPolicy: 'Retain' });
    expect((await h.succeeded(back)).result).toMatchObject({ reclaimPolicy: 'Retain', changed: true });
    const same = await h.command('patch-volume', { name: pv, reclaimPolicy: 'Retain' });
    expect((await h.succeeded(same)).result).toMatchObject({ changed: false });
    expect((await h.volume(pv))?.spec.persistentVolumeReclaimPolicy).toBe('Retain');
  });

  it('Retain: the claim goes, the volume is Released; release makes it Available; a new claim binds it', async () => {
    await h.succeeded(await h.command('create-claim', claim('first')));
    await h.claimUntil(ns, 'first', (c) => c.status?.phase === 'Bound' && c.spec.volumeName === pv, 'first bound', 60_000);
    const refused = await h.command('release-volume', { name: pv });
    expect(await h.terminal(refused)).toMatchObject({ type: 'failed', error: { code: 'Conflict', message: expect.stringContaining(`is bound to claim ${ns}/first`) } });

    await h.admin.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'first' });
    await h.volumeUntil(pv, (v) => v?.status?.phase === 'Released', 'Released', 60_000);
    const orphans = await h.query<{ volumes: Array<{ name: string }> }>('orphans', { namespace: ns });
    expect(orphans.ok && orphans.value.volumes.map((v) => v.name)).toContain(pv);

    const op = await h.command('release-volume', { name: pv });
    expect((await h.succeeded(op)).result).toMatchObject({ name: pv, phase: 'Available', changed: true });
    expect((await h.volume(pv))?.spec.claimRef).toBeUndefined();

    await h.succeeded(await h.command('create-claim', claim('second')));
    const bound = await h.claimUntil(ns, 'second', (c) => c.status?.phase === 'Bound', 'second bound', 60_000);
    expect(bound.spec.volumeName).toBe(pv);
  }, 150_000);

  it('expand: shrinking and a class without allowVolumeExpansion are Invalid, naming size', async () => {
    const op = await h.command('expand-claim', { namespace: ns, name: 'second', size: '500Mi' });
    const failed = await h.terminal(op);
    expect(failed).toMatchObject({ type: 'failed', error: { code: 'Invalid' } });
    expect(failed.error?.message).toContain('size: Forbidden: 500Mi is less than the claim\'s 1Gi: a claim cannot shrink');
    expect(failed.error?.message).toContain(`StorageClass "${manual}" does not set allowVolumeExpansion`);
    const grow = await h.command('expand-claim', { namespace: ns, name: 'second', size: '2Gi' });
    expect(await h.terminal(grow)).toMatchObject({ type: 'failed', error: { code: 'Invalid', message: expect.stringContaining('only dynamically provisioned pvc can be resized') } });
    expect((await h.claim(ns, 'second'))?.spec.resources.requests.storage).toBe('1Gi');
  }, 60_000);

  it('expand on an expandable class asks for the size (the class\'s resizer does the rest)', async () => {
    const growable = await h.storageClass('growable', { allowVolumeExpansion: true });
    const vol = h.volumeName('pv-grow');
    await h.staticVolume(vol, '1Gi', growable, ['ReadWriteOnce'], { claimRef: { namespace: ns, name: 'grow' } });
    await h.succeeded(await h.command('create-claim', { ...claim('grow'), storageClassName: growable }));
    await h.claimUntil(ns, 'grow', (c) => c.status?.phase === 'Bound', 'grow bound');
    const op = await h.command('expand-claim', { namespace: ns, name: 'grow', size: '3Gi' });
    const result = (await h.succeeded(op, 30_000)).result as unknown as ExpandClaimResult;
    expect(result).toMatchObject({ namespace: ns, name: 'grow', size: '3Gi', resized: false, changed: true, capacity: '1Gi' });
    expect((await h.claim(ns, 'grow'))?.spec.resources.requests.storage).toBe('3Gi');
  }, 60_000);

  it('bad input fails Invalid naming each field: sizes, access modes, names', async () => {
    const bad = await h.command('create-volume', { name: 'Bad_Name', capacity: 'lots', accessModes: ['RWO'], storageClassName: manual });
    const failed = await h.terminal(bad);
    expect(failed).toMatchObject({ type: 'failed', error: { code: 'Invalid' } });
    const paths = ((failed.result as { errors?: Array<{ path: string }> } | undefined)?.errors ?? []).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'capacity', 'accessModes.0']));
    const zero = await h.command('create-claim', { ...claim('zero'), size: '0' });
    expect(await h.terminal(zero)).toMatchObject({ error: { code: 'Invalid', message: expect.stringContaining('size: Invalid value: "0": must be greater than zero') } });
    const modes = await h.command('create-claim', { ...claim('modes'), accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] });
    expect(await h.terminal(modes)).toMatchObject({ error: { code: 'Invalid', message: expect.stringContaining('accessModes: may not use ReadWriteOncePod with other access modes') } });
    const dup = await h.command('create-claim', { ...claim('dup'), accessModes: ['ReadWriteOnce', 'ReadWriteOnce'] });
    expect(await h.terminal(dup)).toMatchObject({ error: { code: 'Invalid', message: expect.stringContaining('accessModes.1: Duplicate value') } });
    const policy = await h.command('patch-volume', { name: pv, reclaimPolicy: 'Keep' });
    expect(await h.terminal(policy)).toMatchObject({ error: { code: 'Invalid', message: expect.stringContaining('reclaimPolicy') } });
    const size = await h.command('expand-claim', { namespace: ns, name: 'second', size: '-1Gi' });
    expect(await h.terminal(size)).toMatchObject({ error: { code: 'Invalid', message: expect.stringContaining('size') } });
    expect(await h.claim(ns, 'zero')).toBeUndefined();
    const q = await h.query('diagnosis', { namespace: 'Not A Namespace', name: 'x' });
    expect(q).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [expect.objectContaining({ path: 'namespace' })] } });
  }, 60_000);

  it('validate answers before acceptance what the operation would fail with (the gateway refuses up front)', async () => {
    const v = (kind: string, payload: Record<string, unknown>): ReturnType<typeof h.query> => h.query('validate', { kind, payload });
    expect(await v('storage.expand-claim', { namespace: ns, name: 'second', size: '4Gi' })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'size', message: expect.stringContaining('allowVolumeExpansion') }] } });
    expect(await v('storage.expand-claim', { namespace: ns, name: 'second', size: '1' })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: expect.arrayContaining([{ path: 'size', message: expect.stringContaining('cannot shrink') }]) } });
    expect(await v('storage.release-volume', { name: pv })).toMatchObject({ ok: false, error: { code: 'Conflict' } });
    expect(await v('storage.create-claim', claim('second'))).toMatchObject({ ok: false, error: { code: 'AlreadyExists' } });
    expect(await v('storage.patch-volume', { name: 'no-such-volume', reclaimPolicy: 'Retain' })).toEqual({ ok: false, error: { code: 'NotFound', message: 'persistentvolumes "no-such-volume" not found' } });
    expect(await v('storage.set-default-class', { name: 'no-such-class' })).toMatchObject({ ok: false, error: { code: 'NotFound', fieldErrors: [{ path: 'name' }] } });
    expect(await v('storage.create-claim', { ...claim('fresh'), size: '0' })).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'size' }] } });
    expect(await v('storage.nope', {})).toMatchObject({ ok: false, error: { code: 'Invalid', fieldErrors: [{ path: 'kind' }] } });
    expect(await v('storage.create-claim', claim('fresh'))).toEqual({ ok: true, value: { fieldErrors: [] } });
    expect(await v('create-volume', { name: h.volumeName('pv-new'), capacity: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual })).toEqual({ ok: true, value: { fieldErrors: [] } });
  });

  it('quota and LimitRange: validate refuses up front in the admission plugins\' words; the operation fails Forbidden as the apiserver says', async () => {
    const q = await h.namespace('storage-quota');
    await h.admin.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'storage', namespace: q }, spec: { hard: { 'requests.storage': '2Gi' } } });
    await h.admin.create({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'pvc', namespace: q }, spec: { limits: [{ type: 'PersistentVolumeClaim', min: { storage: '100Mi' } }] } });
    const big = { namespace: q, name: 'big', size: '5Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual };
    expect(await h.query('validate', { kind: 'storage.create-claim', payload: big })).toMatchObject({ ok: false, error: {
      code: 'Forbidden', message: 'persistentvolumeclaims "big" is forbidden: exceeded quota: storage, requested: requests.storage=5Gi, used: requests.storage=0, limited: requests.storage=2Gi', fieldErrors: [{ path: 'size' }],
    } });
    expect(await h.query('validate', { kind: 'storage.create-claim', payload: { ...big, name: 'tiny', size: '10Mi' } })).toMatchObject({ ok: false, error: { code: 'Forbidden', message: expect.stringContaining('minimum storage usage per PersistentVolumeClaim is 100Mi, but request is 10Mi') } });
    // Quota admission needs the quota controller to have counted the namespace first; then the apiserver says the same.
    const op = await eventually(async () => {
      const id = await h.command('create-claim', big);
      const t = await h.terminal(id);
      return t.error?.message.includes('exceeded quota') ? t : undefined;
    }, 'quota refusal', 30_000, 1000);
    expect(op).toMatchObject({ type: 'failed', error: { code: 'Forbidden', message: expect.stringContaining('persistentvolumeclaims "big" is forbidden: exceeded quota: storage') } });
  }, 60_000);

  it('unknown objects are NotFound in the apiserver\'s words', async () => {
    const op = await h.command('release-volume', { name: h.volumeName('pv-none') });
    expect(await h.terminal(op)).toMatchObject({ error: { code: 'NotFound', message: expect.stringMatching(/^persistentvolumes ".*" not found$/) } });
    expect(await h.query('diagnosis', { namespace: ns, name: 'nope' })).toEqual({ ok: false, error: { code: 'NotFound', message: 'persistentvolumeclaims "nope" not found' } });
  });
});

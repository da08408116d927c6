import { querySubject, STORAGE_QUERIES } from '@bosun/contracts';
import { audited, bearer, FakeOperations, moduleUnderTest } from '../testing/module.testing';
import type { ModuleUnderTest } from '../testing/module.testing';
import { OperationsService } from '../operations/operations.service';
import { StorageModule } from './storage.module';

const operations = new FakeOperations('op_st');
const { submitted } = operations;
const q = (name: string): string => querySubject('storage', name);
const paths = (r: { body: { errors: { path: string }[] } }): string[] => r.body.errors.map((e) => e.path).sort();
let m: ModuleUnderTest;
beforeAll(async () => { m = await moduleUnderTest(StorageModule, (b) => b.overrideProvider(OperationsService).useValue(operations)); });
afterAll(async () => { await m?.app.close(); });
beforeEach(() => { submitted.length = 0; m.queries.calls.length = 0; });

const claim = { namespace: 'team-a', name: 'data', size: '1Gi', accessModes: ['ReadWriteOnce'] };
const volume = { name: 'pv-1', capacity: '5Gi', accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: '/data/pv-1' } };

describe('StorageModule over HTTP (fakes of our own ports)', () => {
  it('roles: 401 anonymous; claims need operator, the default class and volumes admin', async () => {
    expect((await m.http.get('/v1/storage/classes')).status).toBe(401);
    expect((await m.http.post('/v1/storage/claims').set(bearer('viewer')).send(claim)).status).toBe(403);
    expect((await m.http.post('/v1/storage/claims/team-a/data/expand').set(bearer('viewer')).send({ size: '2Gi' })).status).toBe(403);
    const def = await m.http.put('/v1/storage/default-class').set(bearer('operator')).send({ name: 'local-path' });
    expect(def.status).toBe(403);
    expect(def.body.detail).toBe('user:operator needs the admin role for this request (has: operator)');
    expect((await m.http.post('/v1/storage/volumes').set(bearer('operator')).send(volume)).status).toBe(403);
    expect((await m.http.patch('/v1/storage/volumes/pv-1').set(bearer('operator')).send({ reclaimPolicy: 'Retain' })).status).toBe(403);
    expect((await m.http.post('/v1/storage/volumes/pv-1/release').set(bearer('operator'))).status).toBe(403);
    expect(submitted).toEqual([]);
  });

  it('create claim: 202 + Location, kind storage.create-claim, target the claim, the body as payload, validated by the service first', async () => {
    const r = await m.http.post('/v1/storage/claims?cluster=edge').set(bearer('operator')).send({ ...claim, storageClassName: 'local-path' });
    expect(r.status).toBe(202);
    expect(r.headers.location).toBe('/v1/operations/op_st');
    expect(submitted[0]).toMatchObject({
      kind: 'storage.create-claim', service: 'storage', action: 'create-claim',
      target: { cluster: 'edge', namespace: 'team-a', kind: 'PersistentVolumeClaim', name: 'data' },
      payload: { ...claim, storageClassName: 'local-path' }, actor: { subject: 'user:operator' },
    });
    expect(m.queries.calls.map((c) => [c.subject, c.envelope.params])).toEqual([[q(STORAGE_QUERIES.validate), { kind: 'storage.create-claim', action: 'create-claim', payload: { ...claim, storageClassName: 'local-path' } }]]);
    expect(await audited(m, { action: 'storage.create-claim', operationId: 'op_st', status: 202 })).toBeDefined();
  });

  it('the service\'s validate refuses up front: shrinking is a 422 on size, a missing claim 404, a held volume 409', async () => {
    const refusals: [string, number, string | undefined][] = [];
    const refuse = (code: string, message: string, fieldErrors?: { path: string; message: string }[]): void => m.queries.answer(q(STORAGE_QUERIES.validate), { ok: false, error: { code, message, fieldErrors } });
    try {
      refuse('Invalid', 'invalid expand-claim command', [{ path: 'size', message: 'size 1Gi is smaller than the claim\'s 2Gi: volumes cannot shrink' }]);
      const shrink = await m.http.post('/v1/storage/claims/team-a/data/expand').set(bearer('operator')).send({ size: '1Gi' });
      refusals.push([shrink.body.code, shrink.status, shrink.body.errors?.[0]?.path]);
      refuse('NotFound', 'persistentvolumeclaims "gone" not found');
      const gone = await m.http.post('/v1/storage/claims/team-a/gone/expand').set(bearer('operator')).send({ size: '3Gi' });
      refusals.push([gone.body.code, gone.status, undefined]);
      refuse('Conflict', 'volume pv-1 is still held by its claim team-a/data');
      const held = await m.http.post('/v1/storage/volumes/pv-1/release').set(bearer('admin'));
      refusals.push([held.body.code, held.status, undefined]);
    } finally {
      m.queries.answer(q(STORAGE_QUERIES.validate), { ok: true, value: { fieldErrors: [] } });
    }
    expect(refusals).toEqual([['Invalid', 422, 'size'], ['NotFound', 404, undefined], ['Conflict', 409, undefined]]);
    expect(submitted).toEqual([]);
    expect(await audited(m, { action: 'storage.expand-claim', outcome: 'refused', status: 422 })).toBeDefined();
  });

  it('expand: path names and size become the payload; bad path names, sizes and modes are 422 naming them', async () => {
    const r = await m.http.post('/v1/storage/claims/team-a/data.v2/expand').set(bearer('operator')).send({ size: '2Gi' });
    expect(r.status).toBe(202);
    expect(submitted[0]).toMatchObject({ kind: 'storage.expand-claim', action: 'expand-claim', target: { namespace: 'team-a', kind: 'PersistentVolumeClaim', name: 'data.v2' }, payload: { namespace: 'team-a', name: 'data.v2', size: '2Gi' } });
    const path = await m.http.post('/v1/storage/claims/Team_A/data/expand').set(bearer('operator')).send({ size: '2Gi' });
    expect(path.status).toBe(422);
    expect(paths(path)).toEqual(['namespace']);
    expect(paths(await m.http.post('/v1/storage/claims/team-a/data/expand').set(bearer('operator')).send({ size: 'lots' }))).toEqual(['size']);
    const bad = await m.http.post('/v1/storage/claims').set(bearer('operator')).send({ namespace: 'team-a', name: 'Data', size: '1Gi', accessModes: ['ReadWriteOnce', 'Sometimes'] });
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(['accessModes.1', 'name']);
    expect(submitted).toHaveLength(1);
  });

  it('default class and volumes are operations on cluster-scoped objects', async () => {
    expect((await m.http.put('/v1/storage/default-class').set(bearer('admin')).send({ name: 'local-path' })).status).toBe(202);
    expect((await m.http.post('/v1/storage/volumes').set(bearer('admin')).send(volume)).status).toBe(202);
    expect((await m.http.patch('/v1/storage/volumes/pv-1').set(bearer('admin')).send({ reclaimPolicy: 'Retain' })).status).toBe(202);
    expect((await m.http.post('/v1/storage/volumes/pv-1/release').set(bearer('admin'))).status).toBe(202);
    expect(submitted.map((s) => [s.kind, s.action, s.target, s.payload])).toEqual([
      ['storage.set-default-class', 'set-default-class', { cluster: 'default', kind: 'StorageClass', name: 'default-class' }, { name: 'local-path' }],
      ['storage.create-volume', 'create-volume', { cluster: 'default', kind: 'PersistentVolume', name: 'pv-1' }, volume],
      ['storage.patch-volume', 'patch-volume', { cluster: 'default', kind: 'PersistentVolume', name: 'pv-1' }, { name: 'pv-1', reclaimPolicy: 'Retain' }],
      ['storage.release-volume', 'release-volume', { cluster: 'default', kind: 'PersistentVolume', name: 'pv-1' }, { name: 'pv-1' }],
    ]);
    const patch = await m.http.patch('/v1/storage/volumes/pv-1').set(bearer('admin')).send({ reclaimPolicy: 'Keep', capacity: '1Gi' });
    expect(paths(patch)).toEqual(['(body)', 'reclaimPolicy']);
    expect(paths(await m.http.post('/v1/storage/volumes/PV_1/release').set(bearer('admin')))).toEqual(['name']);
    expect(paths(await m.http.put('/v1/storage/default-class').set(bearer('admin')).send({}))).toEqual(['name']);
    expect(submitted).toHaveLength(4);
  });

  it('reads: classes, volumes and claims as {items}; diagnosis and orphans with their params; NotFound is 404', async () => {
    const cls = { name: 'local-path', provisioner: 'bosun.dev/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, default: true };
    m.queries.answer(q(STORAGE_QUERIES.classes), { ok: true, value: [cls] });
    expect((await m.http.get('/v1/storage/classes').set(bearer('viewer'))).body).toEqual({ items: [cls] });
    m.queries.answer(q(STORAGE_QUERIES.volumes), { ok: true, value: [] });
    expect((await m.http.get('/v1/storage/volumes').set(bearer('viewer'))).body).toEqual({ items: [] });
    m.queries.answer(q(STORAGE_QUERIES.claims), { ok: true, value: [] });
    expect((await m.http.get('/v1/storage/claims?namespace=team-a').set(bearer('viewer'))).body).toEqual({ items: [] });
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ namespace: 'team-a' });
    const diagnosis = { phase: 'Pending', candidates: [{ volume: 'pv-1', matches: false, reasons: ['storageClassName "" is not "fast"'] }], hint: 'create a volume', causes: [] };
    m.queries.answer(q(STORAGE_QUERIES.diagnosis), (env) => ((env.params as { name: string }).name === 'gone'
      ? { ok: false, error: { code: 'NotFound', message: 'persistentvolumeclaims "gone" not found' } }
      : { ok: true, value: diagnosis }));
    const d = await m.http.get('/v1/storage/claims/team-a/data/diagnosis').set(bearer('viewer'));
    expect(d.status).toBe(200);
    expect(d.body).toEqual(diagnosis);
    expect(m.queries.calls.at(-1)?.envelope.params).toEqual({ namespace: 'team-a', name: 'data' });
    expect((await m.http.get('/v1/storage/claims/team-a/gone/diagnosis').set(bearer('viewer'))).body).toMatchObject({ status: 404, code: 'NotFound', detail: 'persistentvolumeclaims "gone" not found' });
    m.queries.answer(q(STORAGE_QUERIES.orphans), { ok: true, value: { claims: [], volumes: [] } });
    expect((await m.http.get('/v1/storage/orphans?namespace=team-a').set(bearer('viewer'))).body).toEqual({ claims: [], volumes: [] });
    expect(m.queries.calls.at(-1)).toMatchObject({ subject: q(STORAGE_QUERIES.orphans), envelope: { params: { namespace: 'team-a' } } });
    expect((await m.http.get('/v1/storage/orphans?namespace=Team_A').set(bearer('viewer'))).body.errors).toEqual([{ path: 'query.namespace', message: expect.any(String) }]);
    m.queries.answer(q(STORAGE_QUERIES.classes), { ok: false, error: { code: 'Forbidden', message: 'storageclasses is forbidden' } });
    expect((await m.http.get('/v1/storage/classes').set(bearer('viewer'))).status).toBe(403);
  });
});

import type { ClaimDiagnosis, CreateClaimResult } from '@bosun/contracts';
import { OPERATION_ID_ANNOTATION } from '@bosun/kube';
import { StorageHarness } from '../testing/storage.harness';

// Claims against the real PV controller: a claim that nothing fits stays Pending and its
// diagnosis says why (capacity, class, access modes); a matching volume made later binds it.
let h: StorageHarness;
let ns: string;
let manual: string;

beforeAll(async () => {
  h = await StorageHarness.withOptions({ ensureLocalPathClass: false });
  await h.start();
  ns = await h.namespace('storage-bind');
  manual = await h.storageClass('manual');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

const candidate = (d: ClaimDiagnosis | undefined, volume: string): ClaimDiagnosis['candidates'][number] | undefined => d?.candidates.find((c) => c.volume === volume);

describe('storage: claims and their diagnosis (real PV controller)', () => {
  it('a too-large claim stays Pending; the result and the diagnosis name the capacity; a matching PV made later binds it', async () => {
    const small = h.volumeName('pv-small');
    await h.staticVolume(small, '1Gi', manual);
    const op = await h.command('create-claim', { namespace: ns, name: 'big', size: '5Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual });
    const done = await h.succeeded(op);
    const result = done.result as unknown as CreateClaimResult;
    expect(result.phase).toBe('Pending');
    expect(candidate(result.diagnosis, small)).toEqual({ volume: small, matches: false, reasons: ['capacity 1Gi < requested 5Gi'] });
    expect(result.diagnosis?.causes.map((c) => c.code)).toEqual(['NoProvisioner']);
    const claim = await h.claim(ns, 'big');
    expect(claim?.metadata.annotations[OPERATION_ID_ANNOTATION]).toBe(op);
    expect(claim?.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain('bosun/Apply');

    const diagnosis = await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'big' });
    expect(diagnosis.ok && candidate(diagnosis.value, small)?.reasons).toEqual(['capacity 1Gi < requested 5Gi']);
    expect(diagnosis.ok && diagnosis.value.hint).toEqual(expect.any(String));

    const large = h.volumeName('pv-large');
    await h.staticVolume(large, '10Gi', manual);
    const bound = await h.claimUntil(ns, 'big', (c) => c.status?.phase === 'Bound', 'the claim bound by the PV controller', 90_000);
    expect(bound.spec.volumeName).toBe(large);
    expect(await h.query('diagnosis', { namespace: ns, name: 'big' })).toEqual({ ok: true, value: expect.objectContaining({ phase: 'Bound', boundTo: large }) });
  }, 120_000);

  it('a claim that binds at once answers Bound with its volume', async () => {
    const pv = h.volumeName('pv-quick');
    await h.staticVolume(pv, '2Gi', manual, ['ReadWriteOnce'], { claimRef: { namespace: ns, name: 'quick' } });
    const op = await h.command('create-claim', { namespace: ns, name: 'quick', size: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual });
    const result = (await h.succeeded(op)).result as unknown as CreateClaimResult;
    const claim = await h.claimUntil(ns, 'quick', (c) => c.status?.phase === 'Bound', 'bound');
    expect(claim.spec.volumeName).toBe(pv);
    // Binding may take the controller one more sync than the operation waits; either way the result says what it saw.
    expect(['Bound', 'Pending']).toContain(result.phase);
    if (result.phase === 'Bound') expect(result.boundTo).toBe(pv);
  }, 60_000);

  it('class and access-mode mismatches are named per volume', async () => {
    const other = await h.storageClass('other');
    const wrongClass = h.volumeName('pv-class');
    const wrongMode = h.volumeName('pv-mode');
    await h.staticVolume(wrongClass, '5Gi', other, ['ReadWriteMany']);
    await h.staticVolume(wrongMode, '5Gi', manual, ['ReadOnlyMany']);
    const op = await h.command('create-claim', { namespace: ns, name: 'picky', size: '1Gi', accessModes: ['ReadWriteMany'], storageClassName: manual });
    const result = (await h.succeeded(op)).result as unknown as CreateClaimResult;
    expect(result.phase).toBe('Pending');
    expect(candidate(result.diagnosis, wrongClass)?.reasons).toEqual([`storageClassName "${other}" ≠ "${manual}"`]);
    expect(candidate(result.diagnosis, wrongMode)?.reasons).toEqual(['access mode ReadWriteMany not offered (offers ReadOnlyMany)']);
  }, 60_000);

  it('lists claims of a namespace', async () => {
    const list = await h.query<Array<{ name: string; phase: string }>>('claims', { namespace: ns });
    expect(list.ok && list.value.map((c) => c.name)).toEqual(['big', 'picky', 'quick']);
  });

  it('a claim that exists already fails AlreadyExists; a redelivered create changes nothing twice', async () => {
    const env = h.envelope('storage.create-claim', { namespace: ns, name: 'twice', size: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual });
    await h.publish(env);
    await h.succeeded(env.operationId);
    const before = (await h.claim(ns, 'twice'))?.metadata.resourceVersion;
    await h.publisher.event(`bosun.cmd.storage.create-claim.v1`, env);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await h.claim(ns, 'twice'))?.metadata.resourceVersion).toBe(before);
    const again = await h.command('create-claim', { namespace: ns, name: 'twice', size: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual });
    expect(await h.terminal(again)).toMatchObject({ type: 'failed', error: { code: 'AlreadyExists', message: 'persistentvolumeclaims "twice" already exists' } });
  }, 60_000);

  it('every call is made as the operation\'s subject: someone without rights is Forbidden in the apiserver\'s words', async () => {
    const nobody = { subject: 'user:nobody', groups: [], via: 'api' as const };
    const op = await h.command('create-claim', { namespace: ns, name: 'not-mine', size: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: manual }, nobody);
    expect(await h.terminal(op)).toMatchObject({ type: 'failed', error: { code: 'Forbidden', message: expect.stringContaining('User "nobody" cannot') } });
    expect(await h.claim(ns, 'not-mine')).toBeUndefined();
    expect(await h.query('diagnosis', { namespace: ns, name: 'big' }, nobody)).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
  });
});

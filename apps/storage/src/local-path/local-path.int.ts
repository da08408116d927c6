import type { ClaimDiagnosis, CreateClaimResult, ExpandClaimResult } from '@bosun/contracts';
import { defaultClassState } from '@bosun/storage-domain';
import { eventually } from '@bosun/testing';
import { LOCAL_PATH_CLASS } from '../classes/local-path.class';
import { deploymentWithClaim } from '../testing/local-path.fixtures';
import { StorageHarness } from '../testing/storage.harness';
import type { Json } from '../testing/storage.harness';

// The bosun.dev/local-path provisioner end to end: the real scheduler places the pod on a kwok
// node and annotates the claim, the provisioner makes the PV on that node, the real PV
// controller binds it; expansion; deleting the claim removes the PV.
let h: StorageHarness;
let ns: string;

beforeAll(async () => {
  h = await StorageHarness.create();
  await h.start();
  ns = await h.namespace('storage-lp');
}, 60_000);
afterAll(async () => h?.close(), 90_000);

const podOf = async (app: string): Promise<Json | undefined> =>
  (await h.admin.list<Json>({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: `app=${app}` }))[0];

describe('storage: the bosun.dev/local-path provisioner (real scheduler, PV controller, kwok nodes)', () => {
  it('at boot the local-path class exists (WaitForFirstConsumer, Delete, expandable) and the cluster has one default', async () => {
    const sc = await eventually(async () => (await h.listClasses()).find((c) => c.metadata.name === LOCAL_PATH_CLASS), 'local-path class');
    expect(sc).toMatchObject({ provisioner: 'bosun.dev/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete', allowVolumeExpansion: true });
    expect(defaultClassState(await h.listClasses()).marked).toHaveLength(1);
  });

  it('provisions the claim on the node the scheduler picked; the PV controller binds it; the pod runs there', async () => {
    const op = await h.command('create-claim', { namespace: ns, name: 'data', size: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: LOCAL_PATH_CLASS });
    const result = (await h.succeeded(op)).result as unknown as CreateClaimResult;
    expect(result.phase).toBe('Pending');
    expect(result.diagnosis?.causes.map((c) => c.code)).toContain('WaitForFirstConsumer');

    await h.admin.create(deploymentWithClaim(ns, 'app', 'data'));
    const claim = await h.claimUntil(ns, 'data', (c) => c.status?.phase === 'Bound', 'claim bound', 90_000);
    const node = claim.metadata.annotations['volume.kubernetes.io/selected-node'];
    expect(node).toMatch(/^kwok-node-\d$/);
    const pv = await h.volume(claim.spec.volumeName);
    expect(pv?.metadata.name).toBe(`pvc-${claim.metadata.uid}`);
    expect(pv?.spec).toMatchObject({
      hostPath: { path: `/opt/local-path-provisioner/pvc-${claim.metadata.uid}_${ns}_data`, type: 'DirectoryOrCreate' },
      persistentVolumeReclaimPolicy: 'Delete', storageClassName: LOCAL_PATH_CLASS,
      claimRef: { namespace: ns, name: 'data', uid: claim.metadata.uid },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
    });
    const pod = await eventually(async () => ((await podOf('app'))?.spec.nodeName ? podOf('app') : undefined), 'pod scheduled', 60_000);
    expect(pod?.spec.nodeName).toBe(node);
    const events = await h.eventsOf(ns, 'data');
    const ours = events.filter((e) => e.reportingComponent === 'bosun.dev/local-path').map((e) => e.reason);
    expect(ours).toEqual(expect.arrayContaining(['Provisioning', 'ProvisioningSucceeded']));
    expect(events.find((e) => e.reason === 'ProvisioningSucceeded')?.message).toBe(`Successfully provisioned volume pvc-${claim.metadata.uid}`);
  }, 120_000);

  it('expands a local-path claim: the PV capacity and the claim\'s status.capacity', async () => {
    const op = await h.command('expand-claim', { namespace: ns, name: 'data', size: '2Gi' });
    const result = (await h.succeeded(op, 30_000)).result as unknown as ExpandClaimResult;
    expect(result).toMatchObject({ namespace: ns, name: 'data', size: '2Gi', capacity: '2Gi', resized: true, changed: true });
    const claim = await h.claim(ns, 'data');
    expect(claim?.spec.resources.requests.storage).toBe('2Gi');
    expect(claim?.status.capacity.storage).toBe('2Gi');
    expect((await h.volume(claim?.spec.volumeName))?.spec.capacity.storage).toBe('2Gi');
    expect((await h.eventsOf(ns, 'data')).map((e) => e.reason)).toContain('VolumeResizeSuccessful');
    const shrink = await h.command('expand-claim', { namespace: ns, name: 'data', size: '1Gi' });
    expect(await h.terminal(shrink)).toMatchObject({ error: { code: 'Invalid', message: expect.stringContaining('a claim cannot shrink') } });
  }, 60_000);

  it('deleting the claim (policy Delete) removes its PV', async () => {
    const claim = await h.claim(ns, 'data');
    const pvName = claim?.spec.volumeName as string;
    h.volumes.push(pvName);
    await h.admin.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'app' }, { propagationPolicy: 'Foreground' });
    await h.admin.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'data' });
    await h.volumeUntil(pvName, (pv) => pv === undefined, 'the PV deleted', 90_000);
    const recorded = (await h.eventsOf('default', pvName)).find((e) => e.reason === 'VolumeDelete');
    expect(recorded?.message).toContain('directory not removed: the node is simulated (kwok)');
  }, 120_000);

  it('with a Retain class the PV stays Released after its claim goes', async () => {
    const retain = await h.storageClass('lp-retain', { provisioner: 'bosun.dev/local-path', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain' });
    await h.succeeded(await h.command('create-claim', { namespace: ns, name: 'kept', size: '1Gi', accessModes: ['ReadWriteOnce'], storageClassName: retain }));
    await h.admin.create(deploymentWithClaim(ns, 'keeper', 'kept'));
    const claim = await h.claimUntil(ns, 'kept', (c) => c.status?.phase === 'Bound', 'kept bound', 90_000);
    h.volumes.push(claim.spec.volumeName);
    await h.admin.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'keeper' }, { propagationPolicy: 'Foreground' });
    await h.admin.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'kept' });
    const pv = await h.volumeUntil(claim.spec.volumeName, (v) => v?.status?.phase === 'Released', 'Released', 90_000);
    expect(pv?.spec.persistentVolumeReclaimPolicy).toBe('Retain');
    await new Promise((r) => setTimeout(r, 2000));
    expect((await h.volume(claim.spec.volumeName))?.status.phase).toBe('Released');
  }, 150_000);

  it('a claim it cannot serve (ReadWriteMany) gets ProvisioningFailed, which the diagnosis quotes', async () => {
    await h.succeeded(await h.command('create-claim', { namespace: ns, name: 'shared', size: '1Gi', accessModes: ['ReadWriteMany'], storageClassName: LOCAL_PATH_CLASS }));
    await h.admin.create(deploymentWithClaim(ns, 'sharer', 'shared'));
    const failed = await eventually(async () => (await h.eventsOf(ns, 'shared')).find((e) => e.reason === 'ProvisioningFailed'), 'ProvisioningFailed', 60_000);
    const message = 'failed to provision volume with StorageClass "local-path": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes';
    expect(failed).toMatchObject({ type: 'Warning', message, reportingComponent: 'bosun.dev/local-path' });
    const diagnosis = await h.query<ClaimDiagnosis>('diagnosis', { namespace: ns, name: 'shared' });
    expect(diagnosis.ok && diagnosis.value.causes).toEqual([expect.objectContaining({ code: 'ProvisioningFailed', message })]);
    await new Promise((r) => setTimeout(r, 6000)); // a resync later: still one event, not one per pass
    expect((await h.eventsOf(ns, 'shared')).filter((e) => e.reason === 'ProvisioningFailed')).toHaveLength(1);
  }, 90_000);
});

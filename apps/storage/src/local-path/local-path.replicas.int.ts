import { eventually } from '@bosun/testing';
import { LOCAL_PATH_CLASS } from '../classes/local-path.class';
import { deploymentWithClaim } from '../testing/local-path.fixtures';
import { StorageHarness } from '../testing/storage.harness';
import type { Json } from '../testing/storage.harness';
import { LEASE_NAME, LocalPathProvisioner } from './local-path.provisioner';

// Leader election: two replicas provision one claim once; a claim that waited while no
// replica ran is provisioned by the next one to start.
let h: StorageHarness;
let ns: string;

beforeAll(async () => {
  h = await StorageHarness.create();
  ns = await h.namespace('storage-lease');
}, 60_000);
afterAll(async () => h?.close(), 90_000);

const provisioners = (): LocalPathProvisioner[] => h.instances.map((app) => app.get(LocalPathProvisioner));
const lease = (): Promise<Json | undefined> => h.admin.get<Json>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'kube-system', name: LEASE_NAME });
const reasons = async (claim: string): Promise<string[]> =>
  (await h.eventsOf(ns, claim)).filter((e) => e.reportingComponent === 'bosun.dev/local-path').map((e) => e.reason as string).sort();

const claimFor = async (name: string): Promise<void> => {
  await h.admin.create({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: LOCAL_PATH_CLASS },
  });
  await h.admin.create(deploymentWithClaim(ns, name, name));
};

describe('storage: local-path leader election (real apiserver Lease)', () => {
  it('two replicas: one holds the lease, and the claim is provisioned once', async () => {
    await h.start();
    await h.start();
    const leader = await eventually(() => provisioners().find((p) => p.isLeader), 'a leader', 20_000);
    expect(provisioners().filter((p) => p.isLeader)).toHaveLength(1);
    expect((await lease())?.spec.holderIdentity).toBe(leader.identity);

    await claimFor('shared');
    const claim = await h.claimUntil(ns, 'shared', (c) => c.status?.phase === 'Bound', 'bound', 90_000);
    h.volumes.push(claim.spec.volumeName);
    await new Promise((r) => setTimeout(r, 6000)); // two resyncs of both replicas
    expect(await reasons('shared')).toEqual(['Provisioning', 'ProvisioningSucceeded']);
  }, 120_000);

  it('the leader stops: the other replica takes over the lease', async () => {
    const [first, second] = h.instances;
    const leaderApp = first.get(LocalPathProvisioner).isLeader ? first : second;
    const standby = leaderApp === first ? second : first;
    await h.stop(leaderApp);
    await eventually(() => (standby.get(LocalPathProvisioner).isLeader ? true : undefined), 'the standby leads', 20_000);
    expect((await lease())?.spec.holderIdentity).toBe(standby.get(LocalPathProvisioner).identity);
  }, 60_000);

  it('a restart with a claim waiting: no replica runs, the scheduler picks a node, the next replica provisions it', async () => {
    while (h.instances.length) await h.stop();
    await claimFor('waiting');
    const annotated = await h.claimUntil(ns, 'waiting', (c) => Boolean(c.metadata.annotations?.['volume.kubernetes.io/selected-node']), 'selected node', 60_000);
    expect(annotated.status?.phase).toBe('Pending');
    expect(await h.volume(`pvc-${annotated.metadata.uid}`)).toBeUndefined();
    h.volumes.push(`pvc-${annotated.metadata.uid}`);

    await h.start();
    const bound = await h.claimUntil(ns, 'waiting', (c) => c.status?.phase === 'Bound', 'bound after the restart', 90_000);
    expect(bound.spec.volumeName).toBe(`pvc-${annotated.metadata.uid}`);
    expect(await reasons('waiting')).toEqual(['Provisioning', 'ProvisioningSucceeded']);
  }, 150_000);
});

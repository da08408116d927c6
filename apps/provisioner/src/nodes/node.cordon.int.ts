import type { NodeView } from '@bosun/contracts';
import { ProvisionerHarness } from '../testing/provisioner.harness';

// Nodes list and cordon/uncordon, on a kwok node of this file's own (the shared kwok-node-*
// are only read), always uncordoned in a finally.
let h: ProvisionerHarness;
let node: string;

beforeAll(async () => {
  h = await ProvisionerHarness.create();
  await h.start();
  node = await h.node('prov-cordon', 'prov-cordon');
}, 60_000);
afterAll(async () => h?.close(), 60_000);

describe('provisioner: nodes', () => {
  it('lists nodes with readiness, conditions, taints, cordon, allocatable and pod counts', async () => {
    const reply = await h.query<NodeView[]>('nodes-list', {});
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const shared = reply.value.find((n) => n.name === 'kwok-node-0');
    expect(shared).toMatchObject({ ready: 'True', internalIP: '127.0.0.1', allocatable: { cpu: '8', pods: '110' }, capacity: { pods: '110' }, pods: expect.any(Number) });
    expect(shared?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True', reason: 'KubeletReady' }));
    expect(reply.value.find((n) => n.name === node)).toMatchObject({ schedulable: true, cordoned: false, taints: ['bosun.dev/test=provisioner:NoSchedule'], pods: 0, problems: [] });
    expect(reply.value.map((n) => n.name)).toEqual([...reply.value.map((n) => n.name)].sort());
  }, 30_000);

  it('cordon sets spec.unschedulable (again is a no-op), uncordon clears it', async () => {
    try {
      const op = await h.command('node-cordon', { name: node });
      expect((await h.succeeded(op)).result).toMatchObject({ name: node, schedulable: false, cordoned: true });
      expect((await h.get('v1', 'Node', undefined, node))?.spec.unschedulable).toBe(true);
      const again = await h.command('node-cordon', { name: node });
      expect((await h.succeeded(again)).result).toMatchObject({ cordoned: true });
      const listed = await h.query<NodeView[]>('nodes-list', {});
      expect(listed.ok && listed.value.find((n) => n.name === node)?.cordoned).toBe(true);
    } finally {
      const un = await h.command('node-uncordon', { name: node });
      expect((await h.succeeded(un)).result).toMatchObject({ name: node, schedulable: true, cordoned: false });
    }
    expect((await h.get('v1', 'Node', undefined, node))?.spec.unschedulable).toBeFalsy();
  }, 30_000);

  it('an unknown node fails NotFound with Kubernetes\' words; a bad name is Invalid naming the field; a stranger is Forbidden', async () => {
    const missing = await h.command('node-cordon', { name: 'prov-no-such-node' });
    expect((await h.terminal(missing)).error).toEqual({ code: 'NotFound', message: 'nodes "prov-no-such-node" not found' });
    const bad = await h.command('node-cordon', { name: 'Bad_Node' });
    expect((await h.terminal(bad)).error).toMatchObject({ code: 'Invalid', message: expect.stringContaining('name: name must be a DNS-1123 subdomain') });
    const stranger = await h.command('node-cordon', { name: node }, { subject: 'user:prov-stranger', groups: [], via: 'api' });
    expect((await h.terminal(stranger)).error).toMatchObject({ code: 'Forbidden', message: expect.stringContaining('User "prov-stranger" cannot patch resource "nodes"') });
    expect((await h.get('v1', 'Node', undefined, node))?.spec.unschedulable).toBeFalsy();
  }, 30_000);
});

import type { Node, Pod } from 'kubernetes-types/core/v1';
import { cordonPatch, evictionFor, nodeDetails, nodeView, podsPerNode } from './node.operations';
import { pod } from './pod.fixtures';

describe('node operations', () => {
  it('cordons and uncordons', () => {
    expect([cordonPatch(true), cordonPatch(false)]).toEqual([{ spec: { unschedulable: true } }, { spec: { unschedulable: false } }]);
  });

  it.each([
    [undefined, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'quux', namespace: 'default' } }],
    [-1, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'quux', namespace: 'default' } }],
    [0, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'quux', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } }],
    [30, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'quux', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 30 } }],
  ])('the seed\'s Eviction of quux, grace %j (000:3779-3787)', (grace, body) => {
    expect(evictionFor(pod('quux'), grace)).toEqual(body);
  });

  it('views a node: readiness, cordon, roles, taints, problems (004:4685-4693, 004:4738-4746)', () => {
    const node: Node = {
      metadata: { name: 'k8s-master', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/os': 'linux' } },
      spec: { unschedulable: true, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'role/log', value: 'true', effect: 'NoSchedule' }] },
      status: {
        nodeInfo: { kubeletVersion: 'v1.27.0' } as NonNullable<Node['status']>['nodeInfo'],
        addresses: [{ type: 'Hostname', address: 'k8s-master' }, { type: 'InternalIP', address: '10.0.2.2' }],
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' },
          { type: 'DiskPressure', status: 'False' },
        ],
      },
    };
    expect(nodeView(node)).toEqual({
      name: 'k8s-master', ready: 'True', schedulable: false, roles: ['control-plane'], version: 'v1.27.0', internalIP: '10.0.2.2',
      taints: ['node-role.kubernetes.io/control-plane:NoSchedule', 'role/log=true:NoSchedule'],
      problems: [{ type: 'MemoryPressure', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }],
    });
  });

  it('a node without a Ready condition is Unknown', () => {
    expect(nodeView({ metadata: { name: 'n1' } })).toEqual({ name: 'n1', ready: 'Unknown', schedulable: true, roles: [], taints: [], problems: [] });
  });
});

describe('node details', () => {
  it('adds cordon, every condition, allocatable, capacity and the pod count', () => {
    const node = {
      metadata: { name: 'n1' }, spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }], allocatable: { cpu: '8', pods: '110' }, capacity: { cpu: '8' } },
    };
    expect(nodeDetails(node, 3)).toMatchObject({
      name: 'n1', ready: 'True', schedulable: false, cordoned: true, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      allocatable: { cpu: '8', pods: '110' }, capacity: { cpu: '8' }, pods: 3,
    });
    expect(nodeDetails({ metadata: { name: 'n2' } })).toEqual(expect.not.objectContaining({ pods: expect.anything() }));
  });

  it('counts unfinished pods per node', () => {
    const on = (name: string, node: string | undefined, phase: string): Pod => ({ metadata: { name }, spec: { containers: [], nodeName: node }, status: { phase } });
    const counts = podsPerNode([on('a', 'n1', 'Running'), on('b', 'n1', 'Pending'), on('c', 'n1', 'Succeeded'), on('d', 'n2', 'Running'), on('e', undefined, 'Pending')]);
    expect(Object.fromEntries(counts)).toEqual({ n1: 2, n2: 1 });
  });
});

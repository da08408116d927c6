import { deployment, hellok8sReplicaSets, replicaSet, template } from './kube.fixtures';
import type { Condition, Deployment } from './kube-types';
import { rolloutStatus } from './rollout-status';

const WAIT = 'Waiting for deployment "hellok8s-go-http" rollout to finish: ';
const deadline: Condition = {
  type: 'Progressing',
  status: 'False',
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "hellok8s-go-http-7c9d684dd" has timed out progressing.',
};
const status = (replicas: number, updated: number, available: number, extra: Partial<NonNullable<Deployment['status']>> = {}) => ({
  observedGeneration: 2,
  replicas,
  updatedReplicas: updated,
  readyReplicas: available,
  availableReplicas: available,
  ...extra,
});

describe('rolloutStatus: the decisions of kubectl rollout status', () => {
  it.each([
    // 004:1277-1283: a rollout of 3 replicas from v1 to v2, message by message
    ['new replicas being created', { generation: 2, status: status(4, 2, 3) }, 'progressing', `${WAIT}2 out of 3 new replicas have been updated...`],
    ['old replicas terminating', { generation: 2, status: status(4, 3, 3) }, 'progressing', `${WAIT}1 old replicas are pending termination...`],
    ['updated ones not yet available', { generation: 2, status: status(3, 3, 2) }, 'progressing', `${WAIT}2 of 3 updated replicas are available...`],
    ['done', { generation: 2, status: status(3, 3, 3) }, 'complete', 'deployment "hellok8s-go-http" successfully rolled out'],
    // the controller has not seen the new spec: all counts are stale
    ['spec not observed', { generation: 3, status: status(3, 3, 3) }, 'progressing', 'Waiting for deployment spec update to be observed...'],
    ['no status yet', { generation: 1, status: {} }, 'progressing', 'Waiting for deployment spec update to be observed...'],
    // scaled to zero
    ['zero replicas', { generation: 2, replicas: 0, status: status(0, 0, 0) }, 'complete', 'deployment "hellok8s-go-http" successfully rolled out'],
    ['zero replicas, old pods leaving', { generation: 2, replicas: 0, status: status(2, 0, 2) }, 'progressing', `${WAIT}2 old replicas are pending termination...`],
    // 004:1623-1650: paused mid-rollout
    ['paused', { generation: 2, paused: true, status: status(4, 1, 3) }, 'paused', 'deployment "hellok8s-go-http" is paused (1 out of 3 new replicas have been updated)'],
    ['paused when done', { generation: 2, paused: true, status: status(3, 3, 3) }, 'paused', 'deployment "hellok8s-go-http" is paused'],
  ])('%s', (_, fixture, state, message) => {
    const result = rolloutStatus(deployment(fixture));
    expect(result).toMatchObject({ state, message, progress: { message } });
    expect(result).not.toHaveProperty('reason');
  });

  it('fails with the Kubernetes reason once the progress deadline passed (004:1350-1379)', () => {
    const d = deployment({ image: 'leigg/hellok8s:v2_problem', generation: 3, status: status(4, 1, 3, { observedGeneration: 3, conditions: [deadline] }) });
    expect(rolloutStatus(d, hellok8sReplicaSets())).toEqual({
      state: 'failed',
      reason: 'ProgressDeadlineExceeded',
      message: 'deployment "hellok8s-go-http" exceeded its progress deadline: ReplicaSet "hellok8s-go-http-7c9d684dd" has timed out progressing.',
      progress: { current: 0, total: 3, message: expect.stringContaining('exceeded its progress deadline') },
    });
  });

  it('checks the deadline before paused, as kubectl does', () => {
    const d = deployment({ paused: true, status: status(3, 1, 3, { observedGeneration: 1, conditions: [deadline] }) });
    expect(rolloutStatus(d).state).toBe('failed');
  });

  it('does not trust a deadline condition from an unobserved spec', () => {
    const d = deployment({ generation: 4, status: status(3, 1, 3, { observedGeneration: 3, conditions: [deadline] }) });
    expect(rolloutStatus(d).state).toBe('progressing');
  });

  it('is not failed by other Progressing reasons', () => {
    const conditions: Condition[] = [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }];
    expect(rolloutStatus(deployment({ status: status(4, 2, 3, { observedGeneration: 1, conditions }) })).state).toBe('progressing');
  });

  it('treats a missing spec.replicas as the API default of 1', () => {
    const d = deployment({ status: status(1, 1, 1, { observedGeneration: 1 }) });
    delete d.spec?.replicas;
    expect(rolloutStatus(d)).toMatchObject({ state: 'complete', progress: { current: 1, total: 1 } });
  });
});

describe('rolloutStatus: progress', () => {
  it('counts the available pods of the ReplicaSet running the current template', () => {
    // v2_problem rolling out: its ReplicaSet has 1 pod, none available; the v2 pods do not count
    const d = deployment({ image: 'leigg/hellok8s:v2_problem', status: status(4, 1, 3, { observedGeneration: 1 }) });
    expect(rolloutStatus(d, hellok8sReplicaSets()).progress).toEqual({ current: 0, total: 3, message: `${WAIT}1 out of 3 new replicas have been updated...` });
  });

  it('counts up as the new ReplicaSet becomes available', () => {
    const rs = [replicaSet({ hash: '668c7f75bd', image: 'leigg/hellok8s:v2', revision: 2, replicas: 2, available: 2 })];
    const d = deployment({ status: status(4, 2, 3, { observedGeneration: 1 }) });
    expect(rolloutStatus(d, rs).progress.current).toBe(2);
  });

  it('never reports more than desired while scaling down', () => {
    const rs = [replicaSet({ hash: '668c7f75bd', image: 'leigg/hellok8s:v2', revision: 2, replicas: 5, available: 5 })];
    const d = deployment({ replicas: 2, status: status(5, 5, 5, { observedGeneration: 1 }) });
    expect(rolloutStatus(d, rs).progress).toMatchObject({ current: 2, total: 2 });
  });

  it('falls back to min(updated, available) without ReplicaSets', () => {
    expect(rolloutStatus(deployment({ status: status(4, 2, 3, { observedGeneration: 1 }) })).progress.current).toBe(2);
    expect(rolloutStatus(deployment({ status: status(3, 3, 1, { observedGeneration: 1 }) })).progress.current).toBe(1);
  });

  it('reports 0 while the spec is unobserved and no ReplicaSet matches the new template', () => {
    const d = deployment({ template: template('leigg/hellok8s:v3'), generation: 2, status: status(3, 3, 3, { observedGeneration: 1 }) });
    expect(rolloutStatus(d, hellok8sReplicaSets()).progress.current).toBe(0);
  });

  it('ignores ReplicaSets of another Deployment', () => {
    const rs = [replicaSet({ hash: '668c7f75bd', image: 'leigg/hellok8s:v2', revision: 2, replicas: 3, ownerUid: 'someone-else' })];
    const d = deployment({ status: status(3, 3, 1, { observedGeneration: 1 }) });
    expect(rolloutStatus(d, rs).progress.current).toBe(1);
  });
});

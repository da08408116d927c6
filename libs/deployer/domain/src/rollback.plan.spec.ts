import { deployment, hellok8sReplicaSets, replicaSet, template } from './kube.fixtures';
import type { ReplicaSet } from './kube-types';
import { planRollback, type RollbackResult } from './rollback.plan';

const plan = (r: RollbackResult) => {
  if (!r.ok) throw new Error(`expected a plan, got ${JSON.stringify(r)}`);
  return r.value;
};

/** 004:1386-1416: revision 3 (v2_problem) is crashing; revisions 1 (v1) and 2 (v2) are history. */
const broken = () => deployment({ image: 'leigg/hellok8s:v2_problem', revision: 3 });

describe('planRollback: rollout undo', () => {
  it('goes back one revision by default, and the old template becomes revision 4', () => {
    const p = plan(planRollback(broken(), hellok8sReplicaSets()));
    expect(p).toMatchObject({ toRevision: 2, fromRevision: 3, newRevision: 4, noop: false });
    expect(p.message).toBe('rolled back to revision 2; it becomes revision 4');
    // the target's template, without the controller's pod-template-hash label
    expect(p.template).toEqual(template('leigg/hellok8s:v2'));
    expect(p.template.metadata?.labels).not.toHaveProperty('pod-template-hash');
  });

  it('brings back the old change cause and keeps the Deployment’s revision bookkeeping', () => {
    const d = broken();
    d.metadata!.annotations!['kubernetes.io/change-cause'] = 'set image v2_problem';
    const p = plan(planRollback(d, hellok8sReplicaSets()));
    expect(p.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'image updated to v2' });
    expect(p.patch).toEqual({
      type: 'json',
      body: [
        { op: 'replace', path: '/spec/template', value: template('leigg/hellok8s:v2') },
        { op: 'add', path: '/metadata/annotations', value: p.annotations },
      ],
    });
  });

  it('drops the current change cause when the target had none', () => {
    const d = broken();
    d.metadata!.annotations!['kubernetes.io/change-cause'] = 'set image v2_problem';
    expect(plan(planRollback(d, hellok8sReplicaSets(), 1)).annotations).toEqual({ 'deployment.kubernetes.io/revision': '3' });
  });

  it('goes to a given revision (--to-revision=1)', () => {
    const p = plan(planRollback(broken(), hellok8sReplicaSets(), 1));
    expect(p).toMatchObject({ toRevision: 1, newRevision: 4, noop: false, template: template('leigg/hellok8s:v1') });
  });

  it('does nothing when the Deployment already runs that revision (kubectl: skipped rollback)', () => {
    const p = plan(planRollback(broken(), hellok8sReplicaSets(), 3));
    expect(p).toMatchObject({ toRevision: 3, noop: true, message: 'skipped rollback (current template already matches revision 3)' });
    expect(p.patch).toBeUndefined();
    expect(p.newRevision).toBeUndefined();
  });

  it('undoes an undo: after 1, 3, 4 (4 = old 2) the previous revision is 3', () => {
    const [v1, v2, problem] = hellok8sReplicaSets();
    v2.metadata!.annotations!['deployment.kubernetes.io/revision'] = '4';
    const p = plan(planRollback(deployment({ image: 'leigg/hellok8s:v2', revision: 4 }), [v1, v2, problem]));
    expect(p).toMatchObject({ toRevision: 3, newRevision: 5, template: template('leigg/hellok8s:v2_problem') });
  });

  it('goes back from the newest revision even when the Deployment already runs an older template', () => {
    // e.g. a set-image back to v1's image that the controller has not turned into a revision yet
    const p = plan(planRollback(deployment({ image: 'leigg/hellok8s:v1', revision: 3 }), hellok8sReplicaSets()));
    expect(p).toMatchObject({ toRevision: 2, noop: false });
  });

  it('ignores ReplicaSets of another Deployment', () => {
    const foreign = replicaSet({ hash: 'ffffffffff', image: 'evil:1', revision: 7, ownerUid: 'other' });
    expect(plan(planRollback(broken(), [...hellok8sReplicaSets(), foreign])).toRevision).toBe(2);
  });
});

describe('planRollback: failures are values', () => {
  it.each<[string, ReplicaSet[], number | undefined, string, string, string]>([
    ['unknown revision', hellok8sReplicaSets(), 9, 'RevisionNotFound', 'toRevision', 'revision 9 not found'],
    ['a revision of another Deployment', [replicaSet({ hash: 'ffffffffff', image: 'x:1', revision: 5, ownerUid: 'other' }), ...hellok8sReplicaSets()], 5, 'RevisionNotFound', 'toRevision', 'revision 5 not found'],
    ['only one revision', [replicaSet({ hash: '55cfd74847', image: 'leigg/hellok8s:v1', revision: 1, replicas: 3 })], undefined, 'NoPreviousRevision', 'toRevision', 'no previous revision to roll back to'],
    ['no history at all', [], undefined, 'NoPreviousRevision', 'toRevision', 'no previous revision to roll back to'],
  ])('%s', (_, rs, toRevision, code, path, message) => {
    expect(planRollback(broken(), rs, toRevision)).toEqual({ ok: false, code, errors: [{ path, message }] });
  });

  it('refuses a paused Deployment, as kubectl does: resume first', () => {
    const d = deployment({ image: 'leigg/hellok8s:v2_problem', revision: 3, paused: true });
    expect(planRollback(d, hellok8sReplicaSets(), 2)).toEqual({
      ok: false,
      code: 'DeploymentPaused',
      errors: [{ path: 'paused', message: 'deployment "hellok8s-go-http" is paused; resume it first, then roll back' }],
    });
  });
});

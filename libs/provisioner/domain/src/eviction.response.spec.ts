import type { Status } from 'kubernetes-types/meta/v1';
import { parseEvictionRefusal } from './eviction.response';

// The Status bodies the eviction subresource answers with (pkg/registry/core/pod/storage/eviction.go);
// 429 means a PodDisruptionBudget forbids the eviction now (000:3790-3800).
const tooMany = (causeMessage: string): Status => ({
  kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 429, reason: 'TooManyRequests',
  message: "Cannot evict pod as it would violate the pod's disruption budget.",
  details: { causes: [{ reason: 'DisruptionBudget', message: causeMessage }] },
});

describe('parseEvictionRefusal', () => {
  it('names the budget and its counts', () => {
    expect(parseEvictionRefusal(tooMany('The disruption budget zk-pdb needs 2 healthy pods and has 2 currently'), 'default')).toEqual({
      kind: 'DisruptionBudget', disruptionBudget: 'default/zk-pdb', needs: 2, has: 2,
      message: 'The disruption budget zk-pdb needs 2 healthy pods and has 2 currently',
    });
  });

  it('without a namespace, the bare name', () => {
    expect(parseEvictionRefusal(tooMany('The disruption budget web needs 3 healthy pods and has 1 currently'))).toMatchObject({ disruptionBudget: 'web', needs: 3, has: 1 });
  });

  it('a budget the controller has not processed yet', () => {
    expect(parseEvictionRefusal(tooMany('The disruption budget zk-pdb is still being processed by the server.'), 'default')).toEqual({
      kind: 'BudgetPending', disruptionBudget: 'default/zk-pdb', message: 'The disruption budget zk-pdb is still being processed by the server.',
    });
  });

  it('more than one budget (a 500 that no retry fixes)', () => {
    expect(parseEvictionRefusal({ status: 'Failure', code: 500, message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' }))
      .toEqual({ kind: 'MultipleBudgets', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' });
  });

  it.each<[Status, object]>([
    [{ code: 429, reason: 'TooManyRequests', message: 'too many requests' }, { kind: 'Other', code: 429, message: 'too many requests' }],
    [{ code: 403, reason: 'Forbidden', message: 'poddisruptionbudget.policy "zk-pdb" is forbidden: pdb disruptions allowed is negative' },
      { kind: 'Other', code: 403, message: 'poddisruptionbudget.policy "zk-pdb" is forbidden: pdb disruptions allowed is negative' }],
    [{ details: { causes: [{ reason: 'FieldValueInvalid', message: 'x' }] } }, { kind: 'Other', message: '' }],
  ])('anything else: %j', (status, refusal) => {
    expect(parseEvictionRefusal(status)).toEqual(refusal);
  });
});

import { compileLabelSelector, describeNodeSelector, nodeSelectorAdmits, requirementMet } from './label-selector.matcher';
import type { NodeSelector } from './kube-types';

describe('node selectors (PV node affinity)', () => {
  const node = { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a', zone: 'z1', cores: '8' } };
  it.each<[string, NodeSelector, boolean]>([
    ['In', { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a'] }] }] }, true],
    ['terms are ORed', { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] }, true],
    ['requirements in a term are ANDed', { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }, { key: 'ssd', operator: 'Exists' }] }] }, false],
    ['Gt', { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }] }, true],
    ['Lt', { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4'] }] }] }, false],
    ['matchFields metadata.name', { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }] }, true],
    ['an empty term selects nothing', { nodeSelectorTerms: [{}] }, false],
  ])('%s', (_, selector, expected) => {
    expect(nodeSelectorAdmits(selector, node)).toBe(expected);
  });

  it('describes itself for reasons', () => {
    expect(describeNodeSelector({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1', 'z2'] }, { key: 'ssd', operator: 'Exists' }] }, { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }] }))
      .toBe('zone In (z1, z2) and ssd Exists or x DoesNotExist');
  });
});

describe('label selectors', () => {
  it('matchLabels come first, sorted, then the expressions', () => {
    expect(compileLabelSelector({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] }).map((r) => r.text)).toEqual(['a=1', 'b=2', 'c Exists']);
  });

  it('an unknown operator never matches', () => {
    expect(requirementMet({ key: 'a', operator: 'Near', values: [], text: '' }, { a: '1' })).toBe(false);
  });

  it('an empty selector matches everything', () => {
    expect(compileLabelSelector({})).toEqual([]);
  });
});

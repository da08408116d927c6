import { isEmptySelector, selectorMatches } from './label-selector.match';

describe('selectorMatches', () => {
  const labels = { app: 'zookeeper', tier: 'db' };
  it.each([
    [{ matchLabels: { app: 'zookeeper' } }, true],
    [{ matchLabels: { app: 'zookeeper', tier: 'web' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Like' }] }, false],
    [{ matchLabels: { app: 'zookeeper' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, false],
    // policy/v1: an empty selector selects every pod of the namespace (000:13859-13862)
    [{}, true],
    [undefined, false],
  ])('%j → %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  it('knows an empty selector', () => {
    expect([isEmptySelector({}), isEmptySelector({ matchLabels: {} }), isEmptySelector(undefined), isEmptySelector({ matchLabels: { a: 'b' } })]).toEqual([true, true, false, false]);
  });
});

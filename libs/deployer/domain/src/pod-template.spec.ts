import { template } from './kube.fixtures';
import { deepEqual, templatesEqual, withoutTemplateHash } from './pod-template';

describe('withoutTemplateHash', () => {
  it('drops only the pod-template-hash label and leaves the input alone', () => {
    const t = template('a:1', { labels: { app: 'hellok8s', 'pod-template-hash': '668c7f75bd' }, annotations: { x: 'y' } });
    expect(withoutTemplateHash(t).metadata).toEqual({ labels: { app: 'hellok8s' }, annotations: { x: 'y' } });
    expect(t.metadata?.labels).toHaveProperty('pod-template-hash');
  });
});

describe('templatesEqual', () => {
  it.each([
    ['same template, hash label on one side', template('a:1'), template('a:1', { labels: { app: 'hellok8s', 'pod-template-hash': 'abc' } }), true],
    ['different image', template('a:1'), template('a:2'), false],
    ['restart annotation makes a difference (000:20593-20601)', template('a:1'), template('a:1', { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' } }), false],
    ['creationTimestamp: null as the API returns it', template('a:1', { creationTimestamp: null as never }), template('a:1'), true],
    ['no labels vs only the hash label', { spec: { containers: [] } }, { metadata: { labels: { 'pod-template-hash': 'x' } }, spec: { containers: [] } }, true],
  ])('%s', (_, a, b, equal) => {
    expect(templatesEqual(a, b)).toBe(equal);
    expect(templatesEqual(b, a)).toBe(equal);
  });

  it('treats two missing templates as equal and one missing as different', () => {
    expect(templatesEqual(undefined, undefined)).toBe(true);
    expect(templatesEqual(template('a:1'), undefined)).toBe(false);
  });
});

describe('deepEqual', () => {
  it.each([
    [new Date('2024-01-01T00:00:00Z'), '2024-01-01T00:00:00.000Z', true],
    [new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'), true],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [[1], { 0: 1 }, false],
    [{ a: undefined }, {}, true],
    [{ a: null }, {}, true],
    [{ a: 0 }, {}, false],
    [{ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'x' }] } }, true],
    ['1', 1, false],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(deepEqual(a, b)).toBe(equal);
  });
});

import { defaultClassState, isMarkedDefault, planDefaultClassSwitch } from './default-class.rules';
import { errorsOf, valueOf } from '@bosun/testing';
import { sc } from './storage.fixtures';

const D = 'storageclass.kubernetes.io/is-default-class';

describe('default StorageClass rules (000:4411-4446)', () => {
  it.each([
    ['true', true], ['false', false], ['True', false], ['yes', false], ['', false], [undefined, false],
  ])('annotation %p marks default: %p (only the exact "true" does)', (value, expected) => {
    expect(isMarkedDefault(sc('standard', { isDefault: value }))).toBe(expected);
  });

  it('the beta annotation still counts, as upstream reads it', () => {
    expect(isMarkedDefault({ metadata: { name: 'old', annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } }, provisioner: 'x' })).toBe(true);
  });

  it.each([
    [[sc('standard', { isDefault: 'true' }), sc('gold')], { marked: ['standard'], default: 'standard' }],
    [[sc('standard'), sc('gold')], { marked: [] }],
    [[sc('standard', { isDefault: 'true' }), sc('gold', { isDefault: 'true' })], { marked: ['gold', 'standard'] }],
  ])('exactly one marked is the default; two behave like none %#', (classes, expected) => {
    expect(defaultClassState(classes)).toEqual(expected);
  });
});

describe('planDefaultClassSwitch: never two defaults at once', () => {
  it('the seed’s switch from standard to gold: unset the old first, then set the new (000:4430-4444)', () => {
    expect(valueOf(planDefaultClassSwitch([sc('standard', { isDefault: 'true' }), sc('gold')], 'gold'))).toEqual([
      { name: 'standard', patch: { metadata: { annotations: { [D]: 'false' } } } },
      { name: 'gold', patch: { metadata: { annotations: { [D]: 'true' } } } },
    ]);
  });

  it('several marked (behaving like none): all others unset, in name order, before the target', () => {
    const plan = valueOf(planDefaultClassSwitch([sc('z', { isDefault: 'true' }), sc('local-path', { isDefault: 'true' }), sc('a', { isDefault: 'true' })], 'local-path'));
    expect(plan.map((p) => [p.name, p.patch.metadata.annotations[D]])).toEqual([['a', 'false'], ['z', 'false']]);
  });

  it('already the only default: nothing to do', () => {
    expect(valueOf(planDefaultClassSwitch([sc('local-path', { isDefault: 'true' }), sc('gold', { isDefault: 'false' })], 'local-path'))).toEqual([]);
  });

  it('a beta-marked old default is unset on both annotations', () => {
    const old = { metadata: { name: 'old', annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } }, provisioner: 'x' };
    expect(valueOf(planDefaultClassSwitch([old, sc('new')], 'new'))[0].patch.metadata.annotations).toEqual({
      [D]: 'false', 'storageclass.beta.kubernetes.io/is-default-class': 'false',
    });
  });

  it('an unknown class is a FieldError on name, in the API server’s words', () => {
    expect(errorsOf(planDefaultClassSwitch([sc('standard')], 'fast'))).toEqual([{ path: 'name', message: 'storageclass.storage.k8s.io "fast" not found' }]);
  });

  it('afterwards exactly one class is default, whatever the start (applying the patches in order)', () => {
    const starts = [[], ['a'], ['a', 'b'], ['b', 'c'], ['a', 'b', 'c']];
    for (const marked of starts) {
      const classes = ['a', 'b', 'c'].map((n) => sc(n, marked.includes(n) ? { isDefault: 'true' } : {}));
      const plan = valueOf(planDefaultClassSwitch(classes, 'b'));
      let state = classes;
      for (const step of plan) {
        state = state.map((c) => (c.metadata?.name === step.name ? { ...c, metadata: { ...c.metadata, annotations: { ...c.metadata?.annotations, ...step.patch.metadata.annotations } } } : c));
        expect(defaultClassState(state).marked.length).toBeLessThanOrEqual(Math.max(1, marked.length));
      }
      expect(defaultClassState(state)).toEqual({ marked: ['b'], default: 'b' });
    }
  });
});

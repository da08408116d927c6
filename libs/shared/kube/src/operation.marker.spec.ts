import { isMarkedDone, markerAnnotations, OPERATION_ID_ANNOTATION, RECENT_OPERATIONS_ANNOTATION, withMarker } from './operation.marker';
import type { MarkablePatch } from './operation.marker';

const live = (annotations: Record<string, string> = {}): { metadata: { name: string; annotations: Record<string, string>; resourceVersion: string } } => ({
  metadata: { name: 'web', annotations, resourceVersion: '42' },
});
type DeploymentPatch = MarkablePatch;
// The shapes the deployer's domain produces (restart, pause, set-image with a change cause).
const restartPatch = (at: Date): MarkablePatch => ({ type: 'merge', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at.toISOString().replace('.000Z', 'Z') } } } } } });
const pausePatch = (paused: boolean): MarkablePatch => ({ type: 'merge', body: { spec: { paused } } });
const setImagePatch = (_d: unknown, image: string, _c: unknown, cause: string): { ok: true; value: { patch: MarkablePatch } } => ({
  ok: true, value: { patch: { type: 'strategic', body: { metadata: { annotations: { 'kubernetes.io/change-cause': cause } }, spec: { template: { spec: { containers: [{ name: 'web', image }] } } } } } },
});

describe('operation marker', () => {
  it('is done for the newest operation and for recent ones, not for others', () => {
    const d = live({ [OPERATION_ID_ANNOTATION]: 'op_3', [RECENT_OPERATIONS_ANNOTATION]: 'op_3,op_2,op_1' });
    expect(isMarkedDone(d, 'op_3')).toBe(true);
    expect(isMarkedDone(d, 'op_1')).toBe(true);
    expect(isMarkedDone(d, 'op_4')).toBe(false);
    expect(isMarkedDone(live(), 'op_1')).toBe(false);
    expect(isMarkedDone(undefined, 'op_1')).toBe(false);
  });

  it('keeps the ten newest ids, newest first, without duplicates', () => {
    const many = Array.from({ length: 12 }, (_, i) => `op_${i}`).join(',');
    const m = markerAnnotations(live({ [RECENT_OPERATIONS_ANNOTATION]: many }), 'op_new');
    expect(m[OPERATION_ID_ANNOTATION]).toBe('op_new');
    expect(m[RECENT_OPERATIONS_ANNOTATION].split(',')).toEqual(['op_new', ...Array.from({ length: 9 }, (_, i) => `op_${i}`)]);
    expect(markerAnnotations(live({ [RECENT_OPERATIONS_ANNOTATION]: 'op_a,op_b' }), 'op_b')[RECENT_OPERATIONS_ANNOTATION]).toBe('op_b,op_a');
  });

  it('adds the marker and the resourceVersion precondition to merge patches, on metadata only', () => {
    const patched = withMarker(restartPatch(new Date('2026-11-22T10:00:00Z')), live(), 'op_1');
    expect(patched).toEqual({
      type: 'merge',
      body: {
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T10:00:00Z' } } } },
        metadata: { annotations: { [OPERATION_ID_ANNOTATION]: 'op_1', [RECENT_OPERATIONS_ANNOTATION]: 'op_1' }, resourceVersion: '42' },
      },
    });
    expect(withMarker(pausePatch(true), live(), 'op_2').body).toMatchObject({ spec: { paused: true }, metadata: { resourceVersion: '42' } });
  });

  it('keeps the change cause a strategic set-image patch carries', () => {
    const plan = setImagePatch(live(), 'nginx:1.28', undefined, 'bump');
    if (!plan.ok) throw new Error('expected a plan');
    const body = withMarker(plan.value.patch, live(), 'op_1').body as { metadata: { annotations: Record<string, string> } };
    expect(body.metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'bump', [OPERATION_ID_ANNOTATION]: 'op_1', [RECENT_OPERATIONS_ANNOTATION]: 'op_1' });
  });

  it('merges the marker into a JSON patch that replaces all annotations, and makes it conditional', () => {
    const rollback: DeploymentPatch = { type: 'json', body: [
      { op: 'replace', path: '/spec/template', value: {} },
      { op: 'add', path: '/metadata/annotations', value: { 'kubernetes.io/change-cause': 'v1', [OPERATION_ID_ANNOTATION]: 'op_old' } },
    ] };
    expect(withMarker(rollback, live(), 'op_9').body).toEqual([
      { op: 'replace', path: '/spec/template', value: {} },
      { op: 'add', path: '/metadata/annotations', value: { 'kubernetes.io/change-cause': 'v1', [OPERATION_ID_ANNOTATION]: 'op_9', [RECENT_OPERATIONS_ANNOTATION]: 'op_9' } },
      { op: 'replace', path: '/metadata/resourceVersion', value: '42' },
    ]);
    const bare: DeploymentPatch = { type: 'json', body: [{ op: 'replace', path: '/spec/template', value: {} }] };
    expect((withMarker(bare, live({ keep: 'me' }), 'op_9').body as unknown[])[1]).toEqual({
      op: 'add', path: '/metadata/annotations', value: { keep: 'me', [OPERATION_ID_ANNOTATION]: 'op_9', [RECENT_OPERATIONS_ANNOTATION]: 'op_9' },
    });
  });
});

import { KubeError } from './kube.errors';

describe('KubeError', () => {
  it('keeps a Forbidden Status verbatim', () => {
    const message = 'deployments.apps "web" is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "team-a"';
    const err = KubeError.fromResponse(403, {
      kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'Forbidden',
      details: { name: 'web', group: 'apps', kind: 'deployments' }, code: 403,
    });
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({ status: 403, reason: 'Forbidden', message, causes: undefined });
  });

  it('keeps the field causes of Invalid', () => {
    const err = KubeError.fromResponse(422, {
      kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422,
      message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: { causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }] },
    });
    expect(err.reason).toBe('Invalid');
    expect(err.causes).toEqual([{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' }]);
  });

  it.each([
    [404, 'NotFound', 'pods "x" not found'],
    [409, 'Conflict', 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified'],
    [409, 'AlreadyExists', 'namespaces "team-a" already exists'],
    [429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget."],
    [401, 'Unauthorized', 'Unauthorized'],
  ])('maps %i %s', (code, reason, message) => {
    const err = KubeError.fromResponse(code, { kind: 'Status', status: 'Failure', reason, message, code });
    expect(err.toJSON()).toEqual({ status: code, reason, message, causes: undefined });
  });

  it('derives the reason from the HTTP status when the body is not a Status', () => {
    expect(KubeError.fromResponse(403, 'Forbidden\n')).toMatchObject({ reason: 'Forbidden', message: 'Forbidden' });
    expect(KubeError.fromResponse(503, '')).toMatchObject({ reason: 'ServiceUnavailable', message: 'HTTP 503' });
    expect(KubeError.fromResponse(418, { kind: 'Other' })).toMatchObject({ reason: 'Unknown', message: '{"kind":"Other"}' });
  });

  it('maps connection failures to Unreachable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    expect(KubeError.unreachable(refused, 'https://127.0.0.1:6443')).toMatchObject({
      status: 0,
      reason: 'Unreachable',
      message: 'https://127.0.0.1:6443: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:6443',
    });
  });
});

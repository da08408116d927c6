import { KubeError, UnknownClusterError } from '@bosun/kube';
import { UnrecoverableError } from '@bosun/messaging';
import { classifyFailure, invalid, OperationFailure } from './operation.failure';

const deploymentNotFound = (name: string): OperationFailure => new OperationFailure('NotFound', `deployments.apps "${name}" not found`);

const forbidden = 'deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments" in API group "apps" in the namespace "team-a"';

describe('classifyFailure', () => {
  it.each([
    [403, 'Forbidden', false],
    [404, 'NotFound', false],
    [422, 'Invalid', false],
    [400, 'BadRequest', false],
    [401, 'Unauthorized', false],
    [409, 'AlreadyExists', false],
    [409, 'Conflict', true],
    [429, 'TooManyRequests', true],
    [500, 'InternalError', true],
    [503, 'ServiceUnavailable', true],
    [504, 'Timeout', true],
    [502, 'BadGateway', true],
    [0, 'Unreachable', true],
  ])('a Kubernetes %i %s keeps its reason as the code (retryable: %s)', (status, reason, retryable) => {
    const verdict = classifyFailure(new KubeError(status, reason, `message of ${reason}`));
    expect(verdict).toEqual({ failure: { code: reason, message: `message of ${reason}` }, retryable });
  });

  it("keeps Kubernetes' message verbatim, and its field causes as field errors", () => {
    expect(classifyFailure(new KubeError(403, 'Forbidden', forbidden)).failure).toEqual({ code: 'Forbidden', message: forbidden });
    const causes = [{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' }, { reason: 'x' }];
    expect(classifyFailure(new KubeError(422, 'Invalid', 'Deployment.apps "web" is invalid', causes)).failure.fieldErrors).toEqual([
      { path: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' },
    ]);
  });

  it('an OperationFailure is final, with its code, field errors and result', () => {
    const failure = invalid([{ path: 'toRevision', message: 'revision 9 not found' }]);
    expect(failure).toBeInstanceOf(UnrecoverableError);
    expect(classifyFailure(failure)).toEqual({
      failure: { code: 'Invalid', message: 'invalid request: toRevision: revision 9 not found', fieldErrors: [{ path: 'toRevision', message: 'revision 9 not found' }] },
      retryable: false, result: undefined,
    });
    const withResult = new OperationFailure('RolloutTimeout', 'too slow', { result: { revision: 2 } });
    expect(classifyFailure(withResult)).toMatchObject({ failure: { code: 'RolloutTimeout' }, retryable: false, result: { revision: 2 } });
  });

  it('an unknown cluster is NotFound; an unexpected error is Internal and retried', () => {
    expect(classifyFailure(new UnknownClusterError('prod'))).toEqual({ failure: { code: 'NotFound', message: 'cluster "prod" is not registered' }, retryable: false });
    expect(classifyFailure(new TypeError('x is undefined'))).toEqual({ failure: { code: 'Internal', message: 'x is undefined' }, retryable: true });
  });

  it('a missing Deployment reads like the apiserver says it', () => {
    expect(deploymentNotFound('web')).toMatchObject({ code: 'NotFound', message: 'deployments.apps "web" not found' });
  });
});

import { OperationFailure } from '@bosun/service-kit';

/** The apiserver's own wording for a missing Deployment, for reads that turn a 404 into `undefined`. */
export const deploymentNotFound = (name: string): OperationFailure =>
  new OperationFailure('NotFound', `deployments.apps "${name}" not found`);

/** The apiserver's own wording for a missing namespace (what an apply into it answers). */
export const namespaceNotFound = (namespace: string): OperationFailure =>
  new OperationFailure('NotFound', `namespaces "${namespace}" not found`);

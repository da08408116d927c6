import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { addClusterRequestSchema, CLUSTER_QUERIES, clusterNameSchema, querySubject } from '@bosun/contracts';
import type { ClusterView } from '@bosun/contracts';
import { CLUSTER_REGISTRY, ClusterExistsError, InvalidClusterNameError, KubeconfigRejectedError, UnknownClusterError } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { OperationFailure, QueryHandler } from '@bosun/service-kit';

const subject = (name: string): string => querySubject('deployer', name);

/**
 * The cluster registry behind `/v1/clusters`. A kubeconfig posted through the API is
 * untrusted: the registry refuses exec plugins, auth providers and file references, and
 * keeps the credentials encrypted; they are never logged or returned.
 */
@Controller()
export class ClusterQueries {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry) {}

  @QueryHandler(subject(CLUSTER_QUERIES.add), addClusterRequestSchema)
  add(@Payload() p: z.infer<typeof addClusterRequestSchema>): Promise<ClusterView> {
    return typed(async () => {
      await this.registry.add(p.name, p.kubeconfig);
      return this.registry.describe(p.name);
    });
  }

  @QueryHandler(subject(CLUSTER_QUERIES.list), z.unknown())
  async list(): Promise<ClusterView[]> {
    // Clusters another replica added are in the shared store: list them too.
    await this.registry.restore();
    return this.registry.describeAll();
  }

  @QueryHandler(subject(CLUSTER_QUERIES.get), clusterNameSchema)
  get(@Payload() p: z.infer<typeof clusterNameSchema>): Promise<ClusterView> {
    return typed(async () => {
      await this.registry.resolve(p.name);
      return this.registry.describe(p.name);
    });
  }
}

/** The registry's errors as the typed failures the gateway maps to 422, 409 and 404. */
async function typed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof KubeconfigRejectedError) throw new OperationFailure('Invalid', e.message, { fieldErrors: [{ path: `kubeconfig.${e.field}`, message: e.reason }] });
    if (e instanceof InvalidClusterNameError) throw new OperationFailure('Invalid', e.message, { fieldErrors: [{ path: 'name', message: e.message }] });
    if (e instanceof ClusterExistsError) throw new OperationFailure('Conflict', e.message);
    if (e instanceof UnknownClusterError) throw new OperationFailure('NotFound', e.message);
    throw e;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { addClusterRequestSchema, CLUSTER_QUERIES, clusterNameSchema, querySubject } from '@bosun/contracts';
import type { ClusterView, QueryReply } from '@bosun/contracts';
import { CLUSTER_REGISTRY, ClusterExistsError, InvalidClusterNameError, KubeconfigRejectedError, UnknownClusterError } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { serveQuery } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { LOGGER, NATS } from '@bosun/service-kit';

/**
 * The cluster registry behind `/v1/clusters`. A kubeconfig posted through the API is
 * untrusted: the registry refuses exec plugins, auth providers and file references, and
 * keeps the credentials encrypted; they are never logged or returned.
 */
@Injectable()
export class ClusterQueries implements OnModuleInit, OnModuleDestroy {
  private readonly subs: { unsubscribe(): void }[] = [];
  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  onModuleInit(): void {
    this.serve(CLUSTER_QUERIES.add, addClusterRequestSchema, async (p) => {
      await this.registry.add(p.name, p.kubeconfig);
      return this.registry.describe(p.name);
    });
    this.serve(CLUSTER_QUERIES.list, z.unknown(), () => this.registry.describeAll());
    this.serve(CLUSTER_QUERIES.get, clusterNameSchema, async (p) => {
      // Another replica may have added it: look in the shared store before saying NotFound.
      if (!this.registry.has(p.name)) await this.registry.restore();
      return this.registry.describe(p.name);
    });
  }

  onModuleDestroy(): void {
    for (const s of this.subs.splice(0)) s.unsubscribe();
  }

  private serve<P>(name: string, schema: z.ZodType<P>, fn: (p: P) => Promise<ClusterView | ClusterView[]>): void {
    this.subs.push(serveQuery(this.nc, querySubject('deployer', name), 'deployer', schema, async (p): Promise<QueryReply<unknown>> => {
      try {
        return { ok: true, value: await fn(p) };
      } catch (e) {
        return { ok: false, error: toFailure(e) };
      }
    }, this.logger));
  }
}

function toFailure(e: unknown): { code: string; message: string; fieldErrors?: { path: string; message: string }[] } {
  if (e instanceof KubeconfigRejectedError) return { code: 'Invalid', message: e.message, fieldErrors: [{ path: `kubeconfig.${e.field}`, message: e.reason }] };
  if (e instanceof InvalidClusterNameError) return { code: 'Invalid', message: e.message, fieldErrors: [{ path: 'name', message: e.message }] };
  if (e instanceof ClusterExistsError) return { code: 'Conflict', message: e.message };
  if (e instanceof UnknownClusterError) return { code: 'NotFound', message: e.message };
  throw e;
}

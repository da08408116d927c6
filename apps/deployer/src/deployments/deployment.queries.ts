import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { DEPLOYER_QUERIES, deploymentRefSchema, dnsLabel, imageResolveRequestSchema, querySubject } from '@bosun/contracts';
import type { QueryEnvelope, QueryReply } from '@bosun/contracts';
import { resolveImage } from '@bosun/deployer-domain';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { serveQuery } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { LOGGER, NATS } from '@bosun/service-kit';
import { kubernetesIdentity } from './actor.identity';
import { DeploymentReader } from './deployment.reader';
import { DeploymentRepository } from './deployment.repository';
import { classifyFailure } from './operation.failure';
import { OperationValidator } from './operation.validator';

/** Query parameters (the `params` of a QueryEnvelope), per query name. */
export const listParamsSchema = z.object({ namespace: dnsLabel('namespace').optional() });
export const validateParamsSchema = z.object({ kind: z.string().min(1), payload: z.unknown() });

/**
 * Answers `bosun.qry.deployer.<name>.v1` in queue group `deployer`. Reads are made as the
 * asking actor when the envelope names one; failures are typed replies with Kubernetes'
 * reason as the code (Forbidden, NotFound...), never exceptions.
 */
@Injectable()
export class DeploymentQueries implements OnModuleInit, OnModuleDestroy {
  private readonly subscriptions: { unsubscribe(): void }[] = [];

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  onModuleInit(): void {
    const reader = (env: QueryEnvelope): DeploymentReader => new DeploymentReader(this.repository(env));
    this.serve(DEPLOYER_QUERIES.get, deploymentRefSchema, (p, env) => reader(env).get(p.namespace, p.name));
    this.serve(DEPLOYER_QUERIES.list, listParamsSchema, (p, env) => reader(env).list(p.namespace));
    this.serve(DEPLOYER_QUERIES.history, deploymentRefSchema, (p, env) => reader(env).history(p.namespace, p.name));
    this.serve(DEPLOYER_QUERIES.diagnosis, deploymentRefSchema, (p, env) => reader(env).diagnosis(p.namespace, p.name));
    this.serveReply(DEPLOYER_QUERIES.validate, validateParamsSchema, (p, env) => new OperationValidator(this.repository(env)).validate(p.kind, p.payload));
    this.serveReply(DEPLOYER_QUERIES.resolveImage, imageResolveRequestSchema, async (p) => {
      const resolved = resolveImage(p.image);
      if (resolved.ok) return resolved;
      return { ok: false, error: { code: 'Invalid', message: resolved.errors.map((e) => e.message).join('; '), fieldErrors: resolved.errors } };
    });
  }

  onModuleDestroy(): void {
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
  }

  private repository(env: QueryEnvelope): DeploymentRepository {
    return new DeploymentRepository(this.registry.get(env.cluster), env.actor ? kubernetesIdentity(env.actor) : undefined);
  }

  /** A query whose handler returns the value; anything thrown becomes a typed failure. */
  private serve<P, T>(name: string, schema: z.ZodType<P>, handler: (params: P, env: QueryEnvelope<P>) => Promise<T>): void {
    this.serveReply(name, schema, async (params, env) => ({ ok: true, value: await handler(params, env) }));
  }

  private serveReply<P, T>(name: string, schema: z.ZodType<P>, handler: (params: P, env: QueryEnvelope<P>) => Promise<QueryReply<T>>): void {
    const subject = querySubject('deployer', name);
    this.subscriptions.push(serveQuery(this.nc, subject, 'deployer', schema, async (params, env) => {
      try {
        return await handler(params, env);
      } catch (err) {
        const { failure, retryable } = classifyFailure(err);
        if (retryable) this.logger.warn({ subject, code: failure.code, err: failure.message }, 'query failed');
        return { ok: false, error: failure };
      }
    }, this.logger));
  }
}

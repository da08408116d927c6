import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { DEPLOYER_QUERIES, deploymentRefSchema, dnsLabel, imageResolveRequestSchema, querySubject } from '@bosun/contracts';
import type { DeploymentRef, DeploymentView, Diagnosis, HistoryItem, ResolvedImage } from '@bosun/contracts';
import { resolveImage } from '@bosun/deployer-domain';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { OperationFailure, QueryContext, QueryHandler } from '@bosun/service-kit';
import { DeploymentReader } from './deployment.reader';
import { DeploymentRepository } from './deployment.repository';
import { OperationValidator } from './operation.validator';

/** Query parameters (the `params` of a QueryEnvelope), per query name. */
export const listParamsSchema = z.object({ namespace: dnsLabel('namespace').optional() });
export const validateParamsSchema = z.object({ kind: z.string().min(1), payload: z.unknown() });

const subject = (name: string): string => querySubject('deployer', name);

/**
 * Answers `bosun.qry.deployer.<name>.v1`. Reads are made as the asking actor when the
 * envelope names one; failures are typed (Kubernetes' reason as the code: Forbidden,
 * NotFound…), never exceptions on the wire.
 */
@Controller()
export class DeploymentQueries {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry) {}

  @QueryHandler(subject(DEPLOYER_QUERIES.get), deploymentRefSchema)
  async get(@Payload() p: DeploymentRef, @Ctx() q: QueryContext): Promise<DeploymentView> {
    return (await this.reader(q)).get(p.namespace, p.name);
  }

  @QueryHandler(subject(DEPLOYER_QUERIES.list), listParamsSchema)
  async list(@Payload() p: z.infer<typeof listParamsSchema>, @Ctx() q: QueryContext): Promise<DeploymentView[]> {
    return (await this.reader(q)).list(p.namespace);
  }

  @QueryHandler(subject(DEPLOYER_QUERIES.history), deploymentRefSchema)
  async history(@Payload() p: DeploymentRef, @Ctx() q: QueryContext): Promise<{ items: HistoryItem[] }> {
    return (await this.reader(q)).history(p.namespace, p.name);
  }

  @QueryHandler(subject(DEPLOYER_QUERIES.diagnosis), deploymentRefSchema)
  async diagnosis(@Payload() p: DeploymentRef, @Ctx() q: QueryContext): Promise<Diagnosis> {
    return (await this.reader(q)).diagnosis(p.namespace, p.name);
  }

  /** What the gateway asks before it accepts an operation (→ 422/404/409 before anything is queued). */
  @QueryHandler(subject(DEPLOYER_QUERIES.validate), validateParamsSchema)
  async validate(@Payload() p: z.infer<typeof validateParamsSchema>, @Ctx() q: QueryContext): Promise<{ fieldErrors: [] }> {
    const verdict = await new OperationValidator(await this.repository(q)).validate(p.kind, p.payload);
    if (!verdict.ok) throw new OperationFailure(verdict.error.code, verdict.error.message, { fieldErrors: verdict.error.fieldErrors });
    return { fieldErrors: [] };
  }

  @QueryHandler(subject(DEPLOYER_QUERIES.resolveImage), imageResolveRequestSchema)
  resolveImage(@Payload() p: z.infer<typeof imageResolveRequestSchema>): ResolvedImage {
    const resolved = resolveImage(p.image);
    if (!resolved.ok) throw new OperationFailure('Invalid', resolved.errors.map((e) => e.message).join('; '), { fieldErrors: resolved.errors });
    return resolved.value;
  }

  private async repository(q: QueryContext): Promise<DeploymentRepository> {
    return new DeploymentRepository(await this.registry.resolve(q.cluster), q.identity);
  }

  private async reader(q: QueryContext): Promise<DeploymentReader> {
    return new DeploymentReader(await this.repository(q));
  }
}

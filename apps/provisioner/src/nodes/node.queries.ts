import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { drainPayloadSchema, nodeListParamsSchema, PROVISIONER_QUERIES, querySubject } from '@bosun/contracts';
import type { DrainPayload, DrainPlan, NodeView } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { QueryContext, QueryHandler } from '@bosun/service-kit';
import { drainPlan } from './drain.plan';
import { NodeReader } from './node.reader';

const subject = (name: string): string => querySubject('provisioner', name);

/** `bosun.qry.provisioner.nodes-list|drain-plan.v1`, read as the asker. */
@Controller()
export class NodeQueries {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry) {}

  @QueryHandler(subject(PROVISIONER_QUERIES.nodesList), nodeListParamsSchema)
  async list(@Payload() _p: unknown, @Ctx() q: QueryContext): Promise<NodeView[]> {
    return new NodeReader(await this.registry.resolve(q.cluster), q.identity).list();
  }

  /** `POST /v1/nodes/{name}/drain?dryRun=true` → 200 with the plan; changes nothing. */
  @QueryHandler(subject(PROVISIONER_QUERIES.drainPlan), drainPayloadSchema)
  async plan(@Payload() p: DrainPayload, @Ctx() q: QueryContext): Promise<DrainPlan> {
    return drainPlan(await this.registry.resolve(q.cluster), p, q.identity);
  }
}

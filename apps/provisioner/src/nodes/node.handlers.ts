import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { commandSubject, drainCommandSchema, nodeRefSchema, PROVISIONER_ACTIONS } from '@bosun/contracts';
import type { DrainCommand, DrainResult, NodeRef, NodeView } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { cordonPatch, nodeDetails } from '@bosun/provisioner-domain';
import { OperationContext, OperationHandler } from '@bosun/service-kit';
import { DrainOperation } from './drain.operation';
import { nodeRef } from './node.reader';
import type { NodeObject } from './node.reader';

const on = (kind: keyof typeof PROVISIONER_ACTIONS): string => commandSubject('provisioner', PROVISIONER_ACTIONS[kind]);

/**
 * `bosun.cmd.provisioner.node-cordon|node-uncordon|node-drain.v1`. Cordon is one merge patch
 * of `spec.unschedulable`, idempotent by nature (a retry sets the same value), so it needs
 * no marker; a missing node fails with Kubernetes' NotFound.
 */
@Controller()
export class NodeHandlers {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry, private readonly drain: DrainOperation) {}

  @OperationHandler(on('node.cordon'), { schema: nodeRefSchema })
  cordon(@Payload() p: NodeRef, @Ctx() op: OperationContext): Promise<NodeView> {
    return this.setUnschedulable(p.name, true, op);
  }

  @OperationHandler(on('node.uncordon'), { schema: nodeRefSchema })
  uncordon(@Payload() p: NodeRef, @Ctx() op: OperationContext): Promise<NodeView> {
    return this.setUnschedulable(p.name, false, op);
  }

  @OperationHandler(on('node.drain'), { schema: drainCommandSchema })
  drainNode(@Payload() p: DrainCommand, @Ctx() op: OperationContext): Promise<DrainResult> {
    return this.drain.run(p, op);
  }

  private async setUnschedulable(name: string, unschedulable: boolean, op: OperationContext): Promise<NodeView> {
    const port = await this.registry.resolve(op.operation.cluster);
    op.throwIfStopped();
    const node = await port.patch<NodeObject>(nodeRef(name), cordonPatch(unschedulable), 'merge', { as: op.operation.identity });
    op.progress({ current: 1, total: 1, message: `node ${name} ${unschedulable ? 'cordoned' : 'uncordoned'}` });
    return nodeDetails(node);
  }
}

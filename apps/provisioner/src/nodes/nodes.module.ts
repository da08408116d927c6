import { Module } from '@nestjs/common';
import { kubeRuntime } from '@bosun/service-kit';
import { DrainOperation } from './drain.operation';
import { JoinTokenQueries } from './join-token.queries';
import { NodeHandlers } from './node.handlers';
import { NodeQueries } from './node.queries';

/** Nodes: cordon, uncordon and drain as operations; list, drain plan and join tokens as queries. */
@Module({
  imports: [kubeRuntime()],
  controllers: [NodeHandlers, NodeQueries, JoinTokenQueries],
  providers: [DrainOperation],
})
export class NodesModule {}

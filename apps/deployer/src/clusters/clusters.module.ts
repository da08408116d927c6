import { Module } from '@nestjs/common';
import { ClusterQueries } from './cluster.queries';

/** `/v1/clusters` behind the gateway: register and describe clusters. Uses the global cluster registry. */
@Module({ controllers: [ClusterQueries] })
export class ClustersModule {}

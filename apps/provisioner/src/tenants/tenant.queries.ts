import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { credentialsPayloadSchema, PROVISIONER_QUERIES, querySubject, tenantListParamsSchema, tenantRefSchema } from '@bosun/contracts';
import type { CredentialsPayload, CredentialsResponse, TenantRef, TenantView } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { QueryContext, QueryHandler } from '@bosun/service-kit';
import { issueCredentials } from './credentials.issuer';
import { TenantReader } from './tenant.reader';

const subject = (name: string): string => querySubject('provisioner', name);

/** `bosun.qry.provisioner.<name>.v1` for tenants; every read and write is made as the asker. */
@Controller()
export class TenantQueries {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry) {}

  @QueryHandler(subject(PROVISIONER_QUERIES.tenantsList), tenantListParamsSchema)
  async list(@Payload() _p: unknown, @Ctx() q: QueryContext): Promise<TenantView[]> {
    return (await this.reader(q)).list();
  }

  @QueryHandler(subject(PROVISIONER_QUERIES.tenantsGet), tenantRefSchema)
  async get(@Payload() p: TenantRef, @Ctx() q: QueryContext): Promise<TenantView> {
    return (await this.reader(q)).view(p.name);
  }

  /** A query that writes (201 at the gateway): the answer is the only copy of the token. */
  @QueryHandler(subject(PROVISIONER_QUERIES.credentials), credentialsPayloadSchema)
  credentials(@Payload() p: CredentialsPayload, @Ctx() q: QueryContext): Promise<CredentialsResponse> {
    return issueCredentials(this.registry, q.cluster, p, q.identity);
  }

  private async reader(q: QueryContext): Promise<TenantReader> {
    return new TenantReader(await this.registry.resolve(q.cluster), q.identity);
  }
}

import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { claimsQuerySchema, diagnosisQuerySchema, orphansQuerySchema, querySubject, STORAGE_QUERIES } from '@bosun/contracts';
import type { ClaimDiagnosis, ClaimRef, ClaimsQuery, ClaimView, OrphanReport, OrphansQuery } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry } from '@bosun/kube';
import { QueryContext, QueryHandler } from '@bosun/service-kit';
import { findOrphans, toClaimView } from '@bosun/storage-domain';
import { ClaimDiagnoser } from '../common/claim.diagnoser';
import { StorageRepository } from '../common/storage.repository';

const subject = (name: string): string => querySubject('storage', name);

/** Claim reads, as the asker: the list, one claim's diagnosis (from the informers, the asker's rights checked), and the orphans. */
@Controller()
export class ClaimQueries {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry, private readonly diagnoser: ClaimDiagnoser) {}

  @QueryHandler(subject(STORAGE_QUERIES.claims), claimsQuerySchema)
  async claims(@Payload() p: ClaimsQuery, @Ctx() q: QueryContext): Promise<ClaimView[]> {
    const claims = await (await this.repository(q)).claims(p.namespace);
    return claims.map(toClaimView).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  @QueryHandler(subject(STORAGE_QUERIES.diagnosis), diagnosisQuerySchema)
  async diagnosis(@Payload() p: ClaimRef, @Ctx() q: QueryContext): Promise<ClaimDiagnosis> {
    return this.diagnoser.diagnoseNamed(q.cluster, q.identity, p.namespace, p.name);
  }

  /** Claims no pod uses (a StatefulSet's leftovers named), and Released volumes. */
  @QueryHandler(subject(STORAGE_QUERIES.orphans), orphansQuerySchema)
  async orphans(@Payload() p: OrphansQuery, @Ctx() q: QueryContext): Promise<OrphanReport> {
    const repo = await this.repository(q);
    const [claims, pods, statefulSets, volumes] = await Promise.all([
      repo.claims(p.namespace), repo.pods(p.namespace), repo.statefulSets(p.namespace),
      // Volumes are cluster-scoped: someone who may read only a namespace still gets its claims.
      repo.volumes().catch(() => []),
    ]);
    return findOrphans({ claims, pods, statefulSets, volumes, namespace: p.namespace });
  }

  private async repository(q: QueryContext): Promise<StorageRepository> {
    return new StorageRepository(await this.registry.resolve(q.cluster), q.identity);
  }
}

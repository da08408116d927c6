import { Inject, Injectable } from '@nestjs/common';
import type { ClaimDiagnosis } from '@bosun/contracts';
import { AccessReviewCache, CLUSTER_REGISTRY } from '@bosun/kube';
import type { AccessAttributes, ClusterRegistry, Identity, KubePort } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { diagnoseClaim, diagnosisReads } from '@bosun/storage-domain';
import type { Node, PersistentVolumeClaim } from '@bosun/storage-domain';
import { STORAGE_OPTIONS } from '../storage.options';
import type { StorageOptions } from '../storage.options';
import { StorageCaches } from './storage.caches';
import type { ClusterCache } from './storage.caches';
import { StorageRepository } from './storage.repository';
import type { ClaimObject, Kube } from './storage.repository';

/**
 * The rights the diagnosis needed when it listed everything as the asker (the requests it
 * replaces): the same subject is refused the same way, in the apiserver's words, whichever of
 * them it lacks. Nodes are not among them: without that right the answer assumes hostname labels.
 */
const diagnosisRights = (namespace: string): AccessAttributes[] => [
  { verb: 'list', resource: 'persistentvolumes' },
  { verb: 'list', group: 'storage.k8s.io', resource: 'storageclasses' },
  { verb: 'list', resource: 'pods', namespace },
  { verb: 'list', resource: 'events', namespace },
];
const NODE_RIGHT: AccessAttributes = { verb: 'list', resource: 'nodes' };

/** Everything a claim's diagnosis reads, read as the repository's identity, then the domain's verdict (no cache). */
export const diagnoseFromCluster = async (repo: StorageRepository, claim: PersistentVolumeClaim): Promise<ClaimDiagnosis> => {
  const namespace = claim.metadata?.namespace ?? 'default';
  const [volumes, classes, pods, events, nodes] = await Promise.all([
    repo.volumes(), repo.classes(), repo.pods(namespace), repo.claimEvents(namespace, claim.metadata?.name ?? ''),
    // Nodes are cluster-scoped: a namespace user may not list them; the diagnosis then assumes their hostname labels.
    repo.nodes().catch(() => []),
  ]);
  return diagnoseClaim({ claim, volumes, classes, pods, events, nodes });
};

/**
 * Why a claim is Pending, from the shared informers (volumes, classes, claims, nodes) rather than
 * a list of every PV per call. The informers are filled by Bosun's own account, so the asker's
 * rights are checked first, as the reads they replace: a SelfSubjectAccessReview made as the
 * asker, kept per asker and attributes for `accessReviewTtlSeconds`; a denial is the apiserver's
 * Forbidden. What stays a request per call is only what is claim-specific, cheap and not always
 * needed (`diagnosisReads`): the namespace's pods while the claim waits for its first consumer,
 * the claim's events for a dynamic provisioner's class. Both are read as the asker, so the
 * apiserver checks them itself; on informers they would mean holding every pod and event of the
 * cluster in this service for a question asked now and then. A cluster whose informers have no
 * first list yet (just added, or Bosun's account there may not list) is read directly, as before.
 */
@Injectable()
export class ClaimDiagnoser {
  readonly access: AccessReviewCache;

  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    private readonly caches: StorageCaches,
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {
    this.access = new AccessReviewCache({ ttlMs: options.accessReviewTtlSeconds * 1000 });
  }

  /** The `diagnosis` query: the claim named, as `as` (undefined: Bosun's own account). */
  async diagnoseNamed(cluster: string, as: Identity | undefined, namespace: string, name: string): Promise<ClaimDiagnosis> {
    const port = await this.registry.resolve(cluster);
    const repo = new StorageRepository(port, as);
    const cache = await this.warm(cluster, port);
    if (!cache) return diagnoseFromCluster(repo, await repo.requireClaim(namespace, name));
    // All reviews in one round, judged in the order of the reads they replace: the claim's GET (Forbidden, then
    // NotFound), then the lists.
    const lists = this.authorize(port, as, diagnosisRights(namespace));
    lists.catch(() => undefined);
    await this.authorize(port, as, [{ verb: 'get', resource: 'persistentvolumeclaims', namespace, name }]);
    // A claim created a moment ago may not be in the cache yet: then it is read (as the asker).
    const claim = cache.informers.claims.get(namespace, name) ?? await repo.requireClaim(namespace, name);
    await lists;
    return this.fromCache(cache, repo, claim);
  }

  /** A claim the caller has just read as `as` (create-claim's answer for a claim still Pending). */
  async diagnose(cluster: string, as: Identity | undefined, claim: ClaimObject): Promise<ClaimDiagnosis> {
    const port = await this.registry.resolve(cluster);
    const repo = new StorageRepository(port, as);
    const cache = await this.warm(cluster, port);
    if (!cache) return diagnoseFromCluster(repo, claim);
    await this.authorize(port, as, diagnosisRights(claim.metadata.namespace ?? 'default'));
    return this.fromCache(cache, repo, claim);
  }

  private async fromCache(cache: ClusterCache, repo: StorageRepository, claim: ClaimObject): Promise<ClaimDiagnosis> {
    const namespace = claim.metadata.namespace ?? 'default';
    const classes = cache.informers.classes.list();
    const reads = diagnosisReads(claim, classes);
    const [pods, events, nodes] = await Promise.all([
      reads.pods ? repo.pods(namespace) : [],
      reads.events ? repo.claimEvents(namespace, claim.metadata.name) : [],
      reads.node ? this.node(cache, repo, reads.node) : [],
    ]);
    return diagnoseClaim({ claim, prepared: cache.preparedVolumes(), classes, pods, events, nodes });
  }

  /** The selected node from the cache, if the asker may list nodes (else none: hostname labels are assumed, as before). */
  private async node(cache: ClusterCache, repo: StorageRepository, name: string): Promise<Array<Kube<Node>>> {
    if (repo.as && !(await this.access.check(repo.port, repo.as, NODE_RIGHT)).allowed) return [];
    const node = cache.informers.nodes.get(undefined, name);
    return node ? [node] : [];
  }

  private async authorize(port: KubePort, as: Identity | undefined, rights: AccessAttributes[]): Promise<void> {
    // Bosun's own account filled the cache: its own questions need no review.
    if (as) await this.access.requireAll(port, as, rights);
  }

  private async warm(cluster: string, port: KubePort): Promise<ClusterCache | undefined> {
    const cache = this.caches.forPort(cluster, port);
    if (await cache.ready(this.options.cacheWaitMs)) return cache;
    this.logger.warn({ cluster }, 'storage informers not synced yet: diagnosis read from the cluster');
    return undefined;
  }
}

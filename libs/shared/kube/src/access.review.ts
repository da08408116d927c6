import { KubeError } from './kube.errors';
import type { Identity, KubeObject, KubePort } from './kube.port';

/** What a request would do, as a SelfSubjectAccessReview's `resourceAttributes`. */
export interface AccessAttributes {
  verb: string;
  /** The API group; the core group ('') when omitted. */
  group?: string;
  /** The plural resource (`persistentvolumes`). */
  resource: string;
  subresource?: string;
  /** Omitted for cluster-scoped resources (or for all namespaces). */
  namespace?: string;
  name?: string;
}

/** The apiserver's answer for one subject and one set of attributes. */
export interface AccessVerdict {
  allowed: boolean;
  /** The authorizer's reason, when it gave one (appended to the Forbidden message, as the apiserver does). */
  reason?: string;
}

export interface AccessReviewCacheOptions {
  /** How long a verdict (allowed or denied) is reused; 30 s unless told. A revoked right keeps working this long. */
  ttlMs?: number;
  /** Verdicts kept at most (the oldest go first); 10,000 unless told. */
  maxEntries?: number;
  /** The clock (tests). */
  now?: () => number;
}

interface ReviewStatus { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string }
type Review = KubeObject & { status?: ReviewStatus };
interface Entry { verdict: Promise<AccessVerdict>; expiresAt?: number }

export const DEFAULT_ACCESS_REVIEW_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 10_000;

const subjectKey = (as: Identity): string => JSON.stringify([as.user, [...(as.groups ?? [])].sort()]);
const attributesKey = (a: AccessAttributes): string =>
  JSON.stringify([a.verb, a.group ?? '', a.resource, a.subresource ?? '', a.namespace ?? '', a.name ?? '']);

/**
 * The apiserver's own Forbidden for a request with these attributes (responsewriters.Forbidden →
 * apierrors.NewForbidden): `persistentvolumes is forbidden: User "alice" cannot list resource
 * "persistentvolumes" in API group "" at the cluster scope`, with `: <reason>` when the authorizer gave one.
 */
export const forbiddenError = (as: Identity, a: AccessAttributes, reason?: string): KubeError => {
  const group = a.group ?? '';
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${as.user}" cannot ${a.verb} resource "${resource}" in API group "${group}" ${scope}${reason ? `: ${reason}` : ''}`;
  const qualified = group ? `${a.resource}.${group}` : a.resource;
  return new KubeError(403, 'Forbidden', `${qualified}${a.name ? ` "${a.name}"` : ''} is forbidden: ${why}`);
};

/**
 * "May this subject do that?", asked of the apiserver with a SelfSubjectAccessReview made
 * as the subject (impersonated, so the answer is exactly what the subject's own request
 * would get), and kept per cluster (port), subject (user and groups) and attributes for a
 * short TTL. This is how a read served from a cache that Bosun's own account filled keeps
 * the asker's RBAC: each cached read is checked as the request it replaces. Concurrent
 * checks of one key share one review; a failed review (or an evaluation error) is not kept.
 */
export class AccessReviewCache {
  private readonly entries = new Map<string, Entry>();
  private readonly portIds = new WeakMap<KubePort, number>();
  private nextPortId = 1;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(opts: AccessReviewCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? DEFAULT_ACCESS_REVIEW_TTL_MS;
    this.maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = opts.now ?? Date.now;
  }

  /** How many verdicts are kept (or being asked for) right now. */
  get size(): number {
    return this.entries.size;
  }

  /** The verdict for `as` on `port`'s cluster, from the cache while it is fresh. */
  check(port: KubePort, as: Identity, attributes: AccessAttributes): Promise<AccessVerdict> {
    const key = `${this.portId(port)}|${subjectKey(as)}|${attributesKey(attributes)}`;
    const hit = this.entries.get(key);
    if (hit && (hit.expiresAt === undefined || hit.expiresAt > this.now())) return hit.verdict;
    if (hit) this.entries.delete(key);
    const entry: Entry = { verdict: this.review(port, as, attributes) };
    this.entries.set(key, entry);
    void entry.verdict.then(
      () => (entry.expiresAt = this.now() + this.ttlMs),
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    this.evict();
    return entry.verdict;
  }

  /** Resolves when allowed; rejects with the apiserver's own Forbidden (a `KubeError`) when not. */
  async require(port: KubePort, as: Identity, attributes: AccessAttributes): Promise<void> {
    const verdict = await this.check(port, as, attributes);
    if (!verdict.allowed) throw forbiddenError(as, attributes, verdict.reason);
  }

  /** Every check at once; rejects with the Forbidden of the first denied one in the order given. */
  async requireAll(port: KubePort, as: Identity, attributes: readonly AccessAttributes[]): Promise<void> {
    const verdicts = await Promise.all(attributes.map((a) => this.check(port, as, a)));
    const denied = verdicts.findIndex((v) => !v.allowed);
    if (denied >= 0) throw forbiddenError(as, attributes[denied], verdicts[denied].reason);
  }

  /** Forgets every verdict (e.g. after a role change that must bite at once). */
  clear(): void {
    this.entries.clear();
  }

  private async review(port: KubePort, as: Identity, a: AccessAttributes): Promise<AccessVerdict> {
    const body = {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {} as KubeObject['metadata'],
      spec: { resourceAttributes: { verb: a.verb, group: a.group ?? '', resource: a.resource, subresource: a.subresource, namespace: a.namespace, name: a.name } },
    };
    const status = (await port.create<Review>(body, { as })).status ?? {};
    if (status.allowed) return { allowed: true };
    // The apiserver answers a request whose authorization failed to evaluate with 500, not 403: so do we, and it is not kept.
    if (status.evaluationError) throw new KubeError(500, 'InternalError', status.evaluationError);
    return { allowed: false, ...(status.reason ? { reason: status.reason } : {}) };
  }

  private portId(port: KubePort): number {
    let id = this.portIds.get(port);
    if (id === undefined) {
      id = this.nextPortId++;
      this.portIds.set(port, id);
    }
    return id;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(key);
    }
  }
}

import { AccessReviewCache, forbiddenError } from './access.review';
import { KubeError } from './kube.errors';
import type { AccessAttributes } from './access.review';
import type { CallOptions, Identity, KubeObject, KubePort } from './kube.port';

// The cache on a port that answers SelfSubjectAccessReviews from a rule table, counting them;
// what the apiserver really answers is covered by the storage service's integration test.
type Rule = (as: Identity, a: AccessAttributes) => boolean | { reason?: string; evaluationError?: string };

const reviewPort = (rule: Rule): { port: KubePort; reviews: Array<{ as?: Identity; attrs: AccessAttributes }>; fail: { next?: Error } } => {
  const reviews: Array<{ as?: Identity; attrs: AccessAttributes }> = [];
  const fail: { next?: Error } = {};
  const port = {
    create: async <T extends KubeObject>(obj: T, opts: CallOptions = {}): Promise<T> => {
      const attrs = (obj as unknown as { spec: { resourceAttributes: AccessAttributes } }).spec.resourceAttributes;
      reviews.push({ as: opts.as, attrs });
      if (fail.next) {
        const err = fail.next;
        fail.next = undefined;
        throw err;
      }
      const verdict = rule(opts.as as Identity, attrs);
      const status = verdict === true ? { allowed: true } : verdict === false ? { allowed: false } : { allowed: false, ...verdict };
      return { ...obj, status } as T;
    },
  } as unknown as KubePort;
  return { port, reviews, fail };
};

const alice: Identity = { user: 'alice', groups: ['dev', 'ops'] };
const bob: Identity = { user: 'bob' };
const listPvs: AccessAttributes = { verb: 'list', resource: 'persistentvolumes' };
const getClaim: AccessAttributes = { verb: 'get', resource: 'persistentvolumeclaims', namespace: 'team-a', name: 'data' };
const listClasses: AccessAttributes = { verb: 'list', group: 'storage.k8s.io', resource: 'storageclasses' };

describe('AccessReviewCache', () => {
  let clock: number;
  const now = (): number => clock;
  beforeEach(() => (clock = 1_000_000));

  it('asks once per subject and attributes within the TTL, again after it', async () => {
    const { port, reviews } = reviewPort(() => true);
    const cache = new AccessReviewCache({ ttlMs: 30_000, now });
    expect(await cache.check(port, alice, listPvs)).toEqual({ allowed: true });
    clock += 29_999;
    await cache.check(port, alice, listPvs);
    expect(reviews).toHaveLength(1);
    clock += 1;
    await cache.check(port, alice, listPvs);
    expect(reviews).toHaveLength(2);
  });

  it('the review is made as the subject itself (impersonated), with the attributes the request would have', async () => {
    const { port, reviews } = reviewPort(() => true);
    await new AccessReviewCache({ now }).check(port, alice, getClaim);
    expect(reviews).toEqual([{ as: alice, attrs: { verb: 'get', group: '', resource: 'persistentvolumeclaims', namespace: 'team-a', name: 'data' } }]);
  });

  it('keys on the subject: another user, or the same user with other groups, is asked for separately; group order does not matter', async () => {
    const { port, reviews } = reviewPort((as) => as.user === 'alice' && (as.groups ?? []).includes('ops'));
    const cache = new AccessReviewCache({ now });
    expect((await cache.check(port, alice, listPvs)).allowed).toBe(true);
    expect((await cache.check(port, bob, listPvs)).allowed).toBe(false);
    expect((await cache.check(port, { user: 'alice', groups: ['dev'] }, listPvs)).allowed).toBe(false);
    expect((await cache.check(port, { user: 'alice', groups: ['ops', 'dev'] }, listPvs)).allowed).toBe(true);
    expect(reviews.map((r) => `${r.as?.user}:${(r.as?.groups ?? []).join(',')}`)).toEqual(['alice:dev,ops', 'bob:', 'alice:dev']);
  });

  it('keys on verb, resource, group, namespace and name', async () => {
    const { port, reviews } = reviewPort(() => true);
    const cache = new AccessReviewCache({ now });
    const variants: AccessAttributes[] = [
      listPvs, { ...listPvs, verb: 'watch' }, { ...listPvs, resource: 'nodes' }, { ...listPvs, group: 'x.io' },
      getClaim, { ...getClaim, namespace: 'team-b' }, { ...getClaim, name: 'other' }, { ...getClaim, subresource: 'status' },
    ];
    for (const v of [...variants, ...variants]) await cache.check(port, alice, v);
    expect(reviews).toHaveLength(variants.length);
  });

  it('keys on the cluster: the same subject on another port is asked again', async () => {
    const one = reviewPort(() => true);
    const two = reviewPort(() => false);
    const cache = new AccessReviewCache({ now });
    expect((await cache.check(one.port, alice, listPvs)).allowed).toBe(true);
    expect((await cache.check(two.port, alice, listPvs)).allowed).toBe(false);
  });

  it('a denial is kept too (for the TTL) and require() refuses in the apiserver\'s words', async () => {
    const { port, reviews } = reviewPort(() => false);
    const cache = new AccessReviewCache({ ttlMs: 1000, now });
    await expect(cache.require(port, bob, listPvs)).rejects.toMatchObject({
      status: 403, reason: 'Forbidden',
      message: 'persistentvolumes is forbidden: User "bob" cannot list resource "persistentvolumes" in API group "" at the cluster scope',
    });
    await expect(cache.require(port, bob, listPvs)).rejects.toBeInstanceOf(KubeError);
    expect(reviews).toHaveLength(1);
    clock += 1000;
    await expect(cache.require(port, bob, listPvs)).rejects.toMatchObject({ reason: 'Forbidden' });
    expect(reviews).toHaveLength(2);
  });

  it('a right granted after a denial is seen once the TTL has passed', async () => {
    let granted = false;
    const { port } = reviewPort(() => granted);
    const cache = new AccessReviewCache({ ttlMs: 5000, now });
    expect((await cache.check(port, bob, listPvs)).allowed).toBe(false);
    granted = true;
    expect((await cache.check(port, bob, listPvs)).allowed).toBe(false);
    clock += 5000;
    expect((await cache.check(port, bob, listPvs)).allowed).toBe(true);
  });

  it('requireAll asks every check at once and refuses with the first denied one in the order given', async () => {
    const { port, reviews } = reviewPort((_as, a) => a.resource === 'persistentvolumeclaims');
    const cache = new AccessReviewCache({ now });
    await expect(cache.requireAll(port, bob, [getClaim, listClasses, listPvs])).rejects.toMatchObject({
      message: 'storageclasses.storage.k8s.io is forbidden: User "bob" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope',
    });
    expect(reviews).toHaveLength(3);
    await expect(cache.requireAll(port, bob, [getClaim])).resolves.toBeUndefined();
  });

  it('concurrent checks of one key share one review', async () => {
    const { port, reviews } = reviewPort(() => true);
    const cache = new AccessReviewCache({ now });
    await Promise.all(Array.from({ length: 5 }, () => cache.check(port, alice, listPvs)));
    expect(reviews).toHaveLength(1);
  });

  it('a review that failed is not kept: the next check asks again', async () => {
    const { port, reviews, fail } = reviewPort(() => true);
    const cache = new AccessReviewCache({ now });
    fail.next = new KubeError(0, 'Unreachable', 'connect ECONNREFUSED');
    await expect(cache.check(port, alice, listPvs)).rejects.toMatchObject({ reason: 'Unreachable' });
    expect(await cache.check(port, alice, listPvs)).toEqual({ allowed: true });
    expect(reviews).toHaveLength(2);
  });

  it('an evaluation error is a 500 as the apiserver answers it, and is not kept', async () => {
    const { port, reviews } = reviewPort(() => ({ evaluationError: 'clusterrole.rbac.authorization.k8s.io "gone" not found' }));
    const cache = new AccessReviewCache({ now });
    await expect(cache.check(port, alice, listPvs)).rejects.toMatchObject({ status: 500, reason: 'InternalError' });
    await expect(cache.check(port, alice, listPvs)).rejects.toMatchObject({ status: 500 });
    expect(reviews).toHaveLength(2);
  });

  it('the authorizer\'s reason ends the Forbidden message, as the apiserver writes it', async () => {
    const { port } = reviewPort(() => ({ reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "viewer" not found' }));
    await expect(new AccessReviewCache({ now }).require(port, bob, getClaim)).rejects.toMatchObject({
      message: 'persistentvolumeclaims "data" is forbidden: User "bob" cannot get resource "persistentvolumeclaims" in API group "" in the namespace "team-a": ' +
        'RBAC: clusterrole.rbac.authorization.k8s.io "viewer" not found',
    });
  });

  it('keeps at most maxEntries verdicts, the oldest going first', async () => {
    const { port, reviews } = reviewPort(() => true);
    const cache = new AccessReviewCache({ maxEntries: 2, now });
    for (const user of ['a', 'b', 'c']) await cache.check(port, { user }, listPvs);
    expect(cache.size).toBe(2);
    await cache.check(port, { user: 'c' }, listPvs);
    await cache.check(port, { user: 'a' }, listPvs);
    expect(reviews.map((r) => r.as?.user)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('forbiddenError names subresources and namespaces as the apiserver does', () => {
    expect(forbiddenError(bob, { verb: 'patch', resource: 'persistentvolumeclaims', subresource: 'status', namespace: 'ns', name: 'x' }).message)
      .toBe('persistentvolumeclaims "x" is forbidden: User "bob" cannot patch resource "persistentvolumeclaims/status" in API group "" in the namespace "ns"');
    expect(forbiddenError(bob, { verb: 'list', resource: 'pods', namespace: 'ns' }).message)
      .toBe('pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "ns"');
  });
});

import { InformerCache } from './informer.cache';
import type { KubeObject } from './kube.port';

const rs = (ns: string, name: string, owner?: string, rv = '1'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { namespace: ns, name, resourceVersion: rv, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: owner, controller: true }] } : {}) },
});
const names = (objs: KubeObject[]): string[] => objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();

describe('InformerCache', () => {
  it('answers by key, by namespace and by controller uid', () => {
    const c = new InformerCache<KubeObject>();
    c.set(rs('a', 'web-1', 'uid-web'));
    c.set(rs('a', 'web-2', 'uid-web'));
    c.set(rs('a', 'api-1', 'uid-api'));
    c.set(rs('b', 'web-1', 'uid-web-b'));
    c.set(rs('b', 'orphan'));
    expect(c.size).toBe(5);
    expect(c.get('a', 'web-2')?.metadata.name).toBe('web-2');
    expect(names(c.list('a'))).toEqual(['a/api-1', 'a/web-1', 'a/web-2']);
    expect(names(c.list())).toHaveLength(5);
    expect(names(c.controlledBy('uid-web'))).toEqual(['a/web-1', 'a/web-2']);
    expect(c.controlledBy('nobody')).toEqual([]);
    expect(c.list('none')).toEqual([]);
  });

  it('moves an object between owners when it is replaced, and forgets it everywhere when deleted', () => {
    const c = new InformerCache<KubeObject>();
    c.set(rs('a', 'web-1', 'uid-old'));
    const old = c.set(rs('a', 'web-1', 'uid-new', '2'));
    expect(old?.metadata.resourceVersion).toBe('1');
    expect(c.controlledBy('uid-old')).toEqual([]);
    expect(names(c.controlledBy('uid-new'))).toEqual(['a/web-1']);
    c.set(rs('a', 'web-1', undefined, '3')); // released by its owner
    expect(c.controlledBy('uid-new')).toEqual([]);
    c.delete(rs('a', 'web-1'));
    expect(c.size).toBe(0);
    expect(c.list('a')).toEqual([]);
    expect(c.has(rs('a', 'web-1'))).toBe(false);
  });

  it('a non-controller ownerReference is no controller', () => {
    const c = new InformerCache<KubeObject>();
    const obj = rs('a', 'x');
    (obj.metadata as Record<string, unknown>).ownerReferences = [{ apiVersion: 'v1', kind: 'Thing', name: 't', uid: 'uid-t', controller: false }];
    c.set(obj);
    expect(c.controlledBy('uid-t')).toEqual([]);
  });
});

import { ClusterRegistry } from './cluster.registry';
import type { KubeObject, KubePort, WatchEventType } from './kube.port';
import type { ListWatchInformer } from './shared-informer';
import { eventually, requireTestenv, uniqueNamespace } from './testing/kube-testenv';

jest.setTimeout(120_000);

const ns = uniqueNamespace('bosun-informer-it');
let registry: ClusterRegistry;
let kube: KubePort;

const cm = (name: string, v: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { v } });
const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });

beforeAll(async () => {
  const env = await requireTestenv();
  registry = new ClusterRegistry({ kubeconfigPath: env.kubeconfig, backoff: { baseMs: 200, maxMs: 2000, jitter: 0.5 } });
  kube = registry.get();
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

afterAll(async () => {
  registry?.close();
  await kube?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
});

describe('shared informer against the test apiserver', () => {
  it('is one shared instance per cluster and resource', () => {
    const a = kube.informer({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(kube.informer({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(a);
    expect(kube.informer({ apiVersion: 'v1', kind: 'Secret' })).not.toBe(a);
  });

  it('keeps delivering to every consumer after its watch connection is broken', async () => {
    const informer = kube.informer<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap' });
    const seenA: string[] = [];
    const seenB: string[] = [];
    const record = (into: string[]) => (type: WatchEventType, obj: KubeObject) => {
      if (obj.metadata.namespace === ns) into.push(`${type} ${obj.metadata.name}`);
    };
    informer.onEvent(record(seenA));
    informer.onEvent(record(seenB));
    await kube.apply(cm('before-start', '1'));
    await informer.start();
    expect(informer.health()).toMatchObject({ synced: true, restarts: 0 });
    expect(informer.get(ns, 'before-start')).toBeDefined();

    await kube.apply(cm('before-break', '1'));
    await eventually(async () => seenA.includes('ADDED before-break'), 'the event before the break');
    await eventually(async () => informer.health().watching, 'the watch to be open');

    (informer as unknown as ListWatchInformer<KubeObject>).__breakWatch();
    // Written while no watch is open: must still arrive, by resuming from the last resourceVersion.
    await kube.apply(cm('during-break', '1'));
    await eventually(async () => informer.health().restarts >= 1 && informer.health().watching, 'the watch to be re-established');

    await kube.apply(cm('after-break', '1'));
    await kube.apply(cm('after-break', '2'));
    await kube.delete(cmRef('before-break'));
    const expected = ['ADDED during-break', 'ADDED after-break', 'MODIFIED after-break', 'DELETED before-break'];
    await eventually(async () => expected.every((e) => seenA.includes(e)), `events ${expected.join(', ')} (saw ${seenA.join(', ')})`);
    expect(seenB).toEqual(seenA);
    expect(informer.get(ns, 'after-break')).toMatchObject({ data: { v: '2' } });
    expect(informer.get(ns, 'before-break')).toBeUndefined();
    expect(informer.list(ns).map((o) => o.metadata.name).sort()).toEqual(['after-break', 'before-start', 'during-break', 'kube-root-ca.crt']);
    expect(informer.health()).toMatchObject({ synced: true, watching: true, lastError: undefined });
  });
});

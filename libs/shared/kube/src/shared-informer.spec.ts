import { silentLogger } from './kube.logger';
import type { KubeObject } from './kube.port';
import { ListWatchInformer, type ListResult, type ListWatchSource, type WatchHandle } from './shared-informer';

interface FakeWatch {
  rv: string;
  onEvent: (type: string, obj: unknown) => void;
  onDone: (err?: unknown) => void;
}

const pod = (namespace: string, name: string, rv: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, resourceVersion: rv },
});

// Our own seam (list + watch), replaced here so the restart logic can be driven step by step;
// the real Watch is exercised against the apiserver in shared-informer.int.ts.
class FakeSource implements ListWatchSource<KubeObject> {
  lists: (ListResult<KubeObject> | Error)[] = [];
  listCalls = 0;
  watches: FakeWatch[] = [];

  async list(): Promise<ListResult<KubeObject>> {
    this.listCalls += 1;
    const next = this.lists.length > 1 ? this.lists.shift()! : this.lists[0];
    if (next instanceof Error) throw next;
    return next;
  }

  async watch(rv: string, onEvent: FakeWatch['onEvent'], onDone: FakeWatch['onDone']): Promise<WatchHandle> {
    this.watches.push({ rv, onEvent, onDone });
    return { abort: () => onDone(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })) };
  }

  get current(): FakeWatch {
    return this.watches[this.watches.length - 1];
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function setup(): { source: FakeSource; informer: ListWatchInformer<KubeObject>; events: string[] } {
  const source = new FakeSource();
  const informer = new ListWatchInformer(source, { name: 'test', logger: silentLogger, backoff: { baseMs: 2, maxMs: 10, jitter: 0.5 } });
  const events: string[] = [];
  informer.onEvent((type, obj) => events.push(`${type} ${obj.metadata.namespace}/${obj.metadata.name}`));
  return { source, informer, events };
}

describe('ListWatchInformer', () => {
  let informer: ListWatchInformer<KubeObject> | undefined;
  afterEach(() => informer?.stop());

  it('lists, then watches from the list resourceVersion and keeps the cache', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [{ items: [pod('a', 'p1', '10'), pod('b', 'p2', '11')], resourceVersion: '12' }];
    await informer.start();
    await until(() => s.source.watches.length === 1, 'watch');
    expect(s.source.current.rv).toBe('12');
    expect(s.events).toEqual(['ADDED a/p1', 'ADDED b/p2']);
    s.source.current.onEvent('MODIFIED', pod('a', 'p1', '13'));
    s.source.current.onEvent('ADDED', pod('a', 'p3', '14'));
    s.source.current.onEvent('DELETED', pod('b', 'p2', '15'));
    expect(informer.list('a').map((o) => o.metadata.name)).toEqual(['p1', 'p3']);
    expect(informer.list()).toHaveLength(2);
    expect(informer.get('a', 'p1')?.metadata.resourceVersion).toBe('13');
    expect(informer.get('b', 'p2')).toBeUndefined();
    expect(informer.health()).toEqual({ synced: true, lastError: undefined, restarts: 0, watching: true });
  });

  it('restarts a broken watch from the last resourceVersion without relisting', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [{ items: [], resourceVersion: '5' }];
    await informer.start();
    await until(() => s.source.watches.length === 1, 'watch');
    s.source.current.onEvent('ADDED', pod('a', 'p1', '6'));
    s.source.current.onDone(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(informer.health()).toMatchObject({ watching: false });
    await until(() => s.source.watches.length === 2, 'second watch');
    expect(s.source.current.rv).toBe('6');
    expect(s.source.listCalls).toBe(1);
    expect(informer.health()).toMatchObject({ restarts: 1, lastError: 'socket hang up' });
    s.source.current.onEvent('ADDED', pod('a', 'p2', '7'));
    expect(informer.health().lastError).toBeUndefined();
    expect(s.events).toEqual(['ADDED a/p1', 'ADDED a/p2']);
  });

  it('restarts after the test hook breaks the connection', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [{ items: [], resourceVersion: '5' }];
    await informer.start();
    await until(() => s.source.watches.length === 1, 'watch');
    informer.__breakWatch();
    await until(() => s.source.watches.length === 2, 'second watch');
    expect(informer.health().restarts).toBe(1);
  });

  it('relists when the resourceVersion is too old and emits the difference', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [
      { items: [pod('a', 'keep', '1'), pod('a', 'change', '2'), pod('a', 'gone', '3')], resourceVersion: '3' },
      { items: [pod('a', 'keep', '1'), pod('a', 'change', '9'), pod('a', 'new', '10')], resourceVersion: '11' },
    ];
    await informer.start();
    await until(() => s.source.watches.length === 1, 'watch');
    s.events.length = 0;
    s.source.current.onEvent('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 3 (9)' });
    s.source.current.onDone(null);
    await until(() => s.source.watches.length === 2, 'watch after relist');
    expect(s.source.listCalls).toBe(2);
    expect(s.source.current.rv).toBe('11');
    expect(s.events.sort()).toEqual(['ADDED a/new', 'DELETED a/gone', 'MODIFIED a/change']);
  });

  it('treats a 410 watch response like an expired resourceVersion', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [{ items: [], resourceVersion: '3' }];
    await informer.start();
    await until(() => s.source.watches.length === 1, 'watch');
    s.source.current.onDone(Object.assign(new Error('Gone'), { statusCode: 410 }));
    await until(() => s.source.watches.length === 2, 'watch after relist');
    expect(s.source.listCalls).toBe(2);
    expect(informer.health().lastError).toBeUndefined();
  });

  it('keeps retrying a failing list and resolves start() once it works', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [new Error('connect ECONNREFUSED'), new Error('connect ECONNREFUSED'), { items: [pod('a', 'p', '1')], resourceVersion: '1' }];
    const started = informer.start();
    await until(() => s.source.listCalls >= 1, 'first list');
    expect(informer.health()).toMatchObject({ synced: false });
    await started;
    expect(s.source.listCalls).toBe(3);
    expect(informer.health()).toMatchObject({ synced: true, lastError: undefined, restarts: 2 });
  });

  it('shares one watch among listeners and isolates a throwing listener', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [{ items: [], resourceVersion: '1' }];
    const seen: string[] = [];
    informer.onEvent(() => { throw new Error('consumer bug'); });
    const off = informer.onEvent((type) => seen.push(type));
    await Promise.all([informer.start(), informer.start()]);
    await until(() => s.source.watches.length === 1, 'watch');
    s.source.current.onEvent('ADDED', pod('a', 'p', '2'));
    off();
    s.source.current.onEvent('DELETED', pod('a', 'p', '3'));
    expect(seen).toEqual(['ADDED']);
    expect(s.events).toEqual(['ADDED a/p', 'DELETED a/p']);
    expect(s.source.watches).toHaveLength(1);
  });

  it('stops for good', async () => {
    const s = setup();
    informer = s.informer;
    s.source.lists = [{ items: [], resourceVersion: '1' }];
    await informer.start();
    await until(() => s.source.watches.length === 1, 'watch');
    informer.stop();
    await new Promise((r) => setTimeout(r, 30));
    expect(s.source.watches).toHaveLength(1);
    expect(informer.health().watching).toBe(false);
    await expect(informer.start()).resolves.toBeUndefined();
  });
});

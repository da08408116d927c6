import type { SetDefaultClassResult, StorageClassView } from '@bosun/contracts';
import type { KubeObject } from '@bosun/kube';
import { defaultClassState, isMarkedDefault } from '@bosun/storage-domain';
import type { StorageClass } from '@bosun/storage-domain';
import { eventually } from '@bosun/testing';
import { StorageHarness } from '../testing/storage.harness';

// The default-class switch against the apiserver: afterwards exactly one default, and a watch
// on every StorageClass never sees two marked at once (the old one is unset first).
type Sc = KubeObject & StorageClass;
let h: StorageHarness;
let first: string;
let second: string;
let original: string | undefined;
const maxMarked: number[] = [];

beforeAll(async () => {
  h = await StorageHarness.withOptions({ ensureLocalPathClass: false });
  await h.start();
  original = defaultClassState(await h.listClasses()).default;
  first = await h.storageClass('fast');
  second = await h.storageClass('slow');
  const informer = h.admin.informer<Sc>({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' });
  await informer.start();
  informer.onEvent(() => maxMarked.push(informer.list().filter(isMarkedDefault).length));
}, 60_000);
afterAll(async () => {
  // Give the cluster its default back (the local-path class, when there was one).
  if (original && h) await h.succeeded(await h.command('set-default-class', { name: original })).catch(() => undefined);
  await h?.close();
}, 60_000);

const defaults = async (): Promise<string[]> => defaultClassState(await h.listClasses()).marked;

describe('storage: the default StorageClass', () => {
  it('set-default-class leaves exactly one default, switching without a moment of two', async () => {
    const op = await h.command('set-default-class', { name: first });
    const result = (await h.succeeded(op)).result as unknown as SetDefaultClassResult;
    expect(result).toEqual({ default: first, unset: original ? [original] : [], changed: true });
    expect(await defaults()).toEqual([first]);

    const again = await h.command('set-default-class', { name: second });
    expect((await h.succeeded(again)).result).toEqual({ default: second, unset: [first], changed: true });
    expect(await defaults()).toEqual([second]);
    await eventually(() => (maxMarked.length >= 3 ? true : undefined), 'watch events of the switch');
    expect(Math.max(...maxMarked)).toBe(1);

    const views = await h.query<StorageClassView[]>('classes', {});
    expect(views.ok && views.value.filter((v) => v.default).map((v) => v.name)).toEqual([second]);
    expect(views.ok && views.value.find((v) => v.name === first)).toMatchObject({ default: false, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate', allowVolumeExpansion: false });
  }, 60_000);

  it('an already-default class is a no-op; an unknown one is NotFound naming the field', async () => {
    const same = await h.command('set-default-class', { name: second });
    expect((await h.succeeded(same)).result).toEqual({ default: second, unset: [], changed: false });
    const unknown = await h.command('set-default-class', { name: 'no-such-class' });
    expect(await h.terminal(unknown)).toMatchObject({ type: 'failed', error: { code: 'NotFound', message: 'storageclass.storage.k8s.io "no-such-class" not found' } });
    expect(await defaults()).toEqual([second]);
  });

  it('two marked defaults (made by hand) behave like none; the switch repairs it to one', async () => {
    await h.admin.patch({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: first }, { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }, 'merge');
    const views = await h.query<StorageClassView[]>('classes', {});
    expect(views.ok && views.value.filter((v) => v.default)).toEqual([]);
    const op = await h.command('set-default-class', { name: first });
    expect((await h.succeeded(op)).result).toEqual({ default: first, unset: [second], changed: true });
    expect(await defaults()).toEqual([first]);
  });
});

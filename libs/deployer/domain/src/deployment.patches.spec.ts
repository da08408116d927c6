import { pausePatch, recreateStrategyPatch, restartPatch, setImagePatch } from './deployment.patches';
import { deployment, template } from './kube.fixtures';
import { errorsOf, valueOf } from '@bosun/testing';

const twoContainers = () => {
  const t = template('leigg/hellok8s:v1');
  t.spec?.containers.push({ name: 'sidecar', image: 'envoyproxy/envoy:v1.30.0' });
  return deployment({ template: t });
};

describe('setImagePatch', () => {
  it('patches the only container by name, as `kubectl set image` does (004:1274)', () => {
    const plan = valueOf(setImagePatch(deployment({ image: 'leigg/hellok8s:v1' }), 'leigg/hellok8s:v2'));
    expect(plan).toEqual({
      patch: { type: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'hellok8s', image: 'leigg/hellok8s:v2' }] } } } } },
      container: 'hellok8s',
      previousImage: 'leigg/hellok8s:v1',
      changed: true,
      warnings: [],
    });
  });

  it('adds the change cause to the Deployment, from where it reaches the new ReplicaSet (004:1312-1334)', () => {
    const plan = valueOf(setImagePatch(deployment(), 'leigg/hellok8s:v3', 'hellok8s', 'image updated to v3'));
    expect(plan.patch.body).toMatchObject({ metadata: { annotations: { 'kubernetes.io/change-cause': 'image updated to v3' } } });
  });

  it('picks the named container among several', () => {
    const plan = valueOf(setImagePatch(twoContainers(), 'envoyproxy/envoy:v1.31.0', 'sidecar'));
    expect(plan.container).toBe('sidecar');
    expect(plan.previousImage).toBe('envoyproxy/envoy:v1.30.0');
  });

  it('picks the container named after the Deployment when none is given', () => {
    const d = twoContainers();
    d.spec?.template.spec?.containers.push({ name: 'hellok8s-go-http', image: 'app:1' });
    expect(valueOf(setImagePatch(d, 'app:2')).container).toBe('hellok8s-go-http');
  });

  it('needs a container name when there are several and none is named after the Deployment', () => {
    expect(errorsOf(setImagePatch(twoContainers(), 'x:1'))).toEqual([
      { path: 'container', message: 'required: deployment "hellok8s-go-http" has 2 containers (hellok8s, sidecar)' },
    ]);
  });

  it('names an unknown container', () => {
    expect(errorsOf(setImagePatch(deployment(), 'x:1', 'nginx'))).toEqual([
      { path: 'container', message: 'container "nginx" not found in deployment "hellok8s-go-http" (containers: hellok8s)' },
    ]);
  });

  it('reports a bad image and a bad container together', () => {
    expect(errorsOf(setImagePatch(deployment(), 'x:bad tag', 'nope')).map((e) => e.path)).toEqual(['image', 'container']);
  });

  it('says when nothing changes: the same image makes no new revision (004:1344)', () => {
    expect(valueOf(setImagePatch(deployment({ image: 'leigg/hellok8s:v2' }), 'leigg/hellok8s:v2')).changed).toBe(false);
  });

  it('warns that imagePullPolicy does not follow a move to :latest (001:135-141)', () => {
    const plan = valueOf(setImagePatch(deployment({ image: 'leigg/hellok8s:v1' }), 'leigg/hellok8s:latest'));
    expect(plan.warnings).toEqual([
      'imagePullPolicy stays IfNotPresent (set when the Deployment was created), so nodes that already have "leigg/hellok8s:latest" will not pull it again',
    ]);
    expect(valueOf(setImagePatch(deployment(), 'leigg/hellok8s')).warnings).toHaveLength(1);
    expect(valueOf(setImagePatch(deployment(), 'leigg/hellok8s:v3')).warnings).toEqual([]);
  });

  it('handles a Deployment without containers', () => {
    expect(errorsOf(setImagePatch({ metadata: { name: 'x' } }, 'a:1'))).toEqual([
      { path: 'container', message: 'required: deployment "x" has 0 containers (none)' },
    ]);
  });
});

describe('restartPatch (000:20593-20601)', () => {
  it('stamps the pod template with kubectl.kubernetes.io/restartedAt to the second', () => {
    expect(restartPatch(new Date('2024-05-01T10:00:00.123Z'))).toEqual({
      type: 'merge',
      body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' } } } } },
    });
  });
});

describe('pausePatch (004:1623-1650)', () => {
  it.each([true, false])('paused: %s', (paused) => {
    expect(pausePatch(paused)).toEqual({ type: 'merge', body: { spec: { paused } } });
  });
});

describe('recreateStrategyPatch (000:11247)', () => {
  const withStrategy = (strategy: object) => ({ ...deployment(), spec: { ...deployment().spec!, strategy } });

  it('clears a rollingUpdate block we do not own before Recreate is applied', () => {
    expect(recreateStrategyPatch(withStrategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }), 'Recreate')).toEqual({
      type: 'merge',
      body: { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } },
    });
  });

  it.each([
    [{ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, 'RollingUpdate'],
    [{ type: 'Recreate' }, 'Recreate'],
    [{ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, undefined],
  ])('is not needed for live %j and desired %s', (strategy, desired) => {
    expect(recreateStrategyPatch(withStrategy(strategy), desired)).toBeUndefined();
  });
});

import { deployRequestSchema, type DeployRequest } from '@bosun/contracts';
import { buildDeploymentManifest } from './deployment.manifest';

const parse = (body: unknown): DeployRequest => deployRequestSchema.parse(body);
const LABELS = { 'app.kubernetes.io/name': 'hellok8s-go-http', 'app.kubernetes.io/managed-by': 'bosun' };

describe('buildDeploymentManifest', () => {
  it('builds the whole Deployment from a full request', () => {
    const req = parse({
      namespace: 'default',
      name: 'hellok8s-go-http',
      image: 'leigg/hellok8s:v2',
      replicas: 3,
      ports: [{ name: 'http', containerPort: 3000 }, { containerPort: 9090 }],
      env: { ZED: 'last', ALPHA: 'first', 'log.level': 'debug' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
      strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 1 },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 3, periodSeconds: 3 },
      changeCause: 'image updated to v2',
      progressDeadlineSeconds: 120,
    });
    expect(buildDeploymentManifest(req)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'hellok8s-go-http',
        namespace: 'default',
        labels: LABELS,
        annotations: { 'kubernetes.io/change-cause': 'image updated to v2' },
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            containers: [{
              name: 'hellok8s-go-http',
              image: 'leigg/hellok8s:v2',
              ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }],
              env: [{ name: 'ALPHA', value: 'first' }, { name: 'ZED', value: 'last' }, { name: 'log.level', value: 'debug' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 3, periodSeconds: 3 },
            }],
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
        progressDeadlineSeconds: 120,
      },
    });
  });

  it('keeps a minimal request minimal: no replicas (an HPA may own them, 004:4303-4321), explicit default strategy', () => {
    const manifest = buildDeploymentManifest(parse({ namespace: 'default', name: 'web', image: 'nginx:1.14.2' }));
    expect(manifest.spec).not.toHaveProperty('replicas');
    expect(manifest.spec).not.toHaveProperty('progressDeadlineSeconds');
    expect(manifest.metadata).not.toHaveProperty('annotations');
    expect(manifest.spec.template.spec.containers).toEqual([{ name: 'web', image: 'nginx:1.14.2' }]);
    // 004:1452: upstream's defaults, written out so they are ours under server-side apply
    expect(manifest.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  });

  it('keeps replicas: 0 (a scale to zero is a request, not an absence)', () => {
    expect(buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c', replicas: 0 })).spec.replicas).toBe(0);
  });

  it('fills the missing half of rollingUpdate with the upstream default', () => {
    const manifest = buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c', strategy: { maxSurge: '50%' } }));
    expect(manifest.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: '25%' } });
  });

  it('writes no rollingUpdate for Recreate (000:11247)', () => {
    const manifest = buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c', strategy: { type: 'Recreate' } }));
    expect(manifest.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('makes selector.matchLabels equal to the template labels (004:1521), as separate objects', () => {
    const manifest = buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c' }));
    expect(manifest.spec.selector.matchLabels).toEqual(manifest.spec.template.metadata.labels);
    expect(manifest.spec.selector.matchLabels).not.toBe(manifest.spec.template.metadata.labels);
    expect(manifest.metadata.labels).not.toBe(manifest.spec.selector.matchLabels);
  });

  it('takes the change cause from the options before the request', () => {
    const req = parse({ namespace: 'a', name: 'b', image: 'c', changeCause: 'from request' });
    expect(buildDeploymentManifest(req, { changeCause: 'kubectl set image' }).metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'kubectl set image' });
    expect(buildDeploymentManifest(req).metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'from request' });
  });

  it('is deterministic: the same request gives the same template whatever the env order', () => {
    const a = buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c', env: { B: '2', A: '1' } }));
    const b = buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c', env: { A: '1', B: '2' } }));
    expect(a).toEqual(b);
  });

  it('an env entry from a Secret becomes valueFrom.secretKeyRef as given (optional only when said), beside literal values', () => {
    const manifest = buildDeploymentManifest(parse({
      namespace: 'a', name: 'b', image: 'c',
      env: {
        PLAIN: 'x',
        DB_PASSWORD: { valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
        TOKEN: { valueFrom: { secretKeyRef: { name: 'api.tokens', key: 'token.v1', optional: true } } },
      },
    }));
    expect(manifest.spec.template.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      { name: 'PLAIN', value: 'x' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api.tokens', key: 'token.v1', optional: true } } },
    ]);
  });

  it.each([
    [{ tcpSocket: { port: 3000 } }, { tcpSocket: { port: 3000 } }],
    [{ exec: { command: ['cat', '/tmp/healthy'] }, failureThreshold: 1 }, { exec: { command: ['cat', '/tmp/healthy'] }, failureThreshold: 1 }],
    [{ httpGet: { port: 8080 } }, { httpGet: { path: '/', port: 8080 } }],
    [{ httpGet: { path: '/ready', port: 8080 }, timeoutSeconds: 2, successThreshold: 2 }, { httpGet: { path: '/ready', port: 8080 }, timeoutSeconds: 2, successThreshold: 2 }],
  ])('maps readinessProbe %j', (probe, expected) => {
    const manifest = buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c', readinessProbe: probe }));
    expect(manifest.spec.template.spec.containers[0].readinessProbe).toEqual(expected);
  });

  it('copies only the resources given', () => {
    const manifest = buildDeploymentManifest(parse({ namespace: 'a', name: 'b', image: 'c', resources: { limits: { memory: '1Gi' } } }));
    expect(manifest.spec.template.spec.containers[0].resources).toEqual({ limits: { memory: '1Gi' } });
  });
});

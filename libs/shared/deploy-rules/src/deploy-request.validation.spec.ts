import { deployRequestSchema, type DeployRequest } from '@bosun/contracts';
import { validateDeployRequest } from './deploy-request.validation';

const base = { namespace: 'default', name: 'web', image: 'nginx:1.14.2' };
/** Every request below passes the contract's schema: these are the rules only the domain sees. */
const parse = (body: Record<string, unknown>): DeployRequest => deployRequestSchema.parse({ ...base, ...body });

describe('validateDeployRequest', () => {
  it('accepts a complete, consistent request', () => {
    expect(validateDeployRequest(parse({
      replicas: 3,
      ports: [{ name: 'http', containerPort: 80 }, { name: 'metrics', containerPort: 9090 }],
      env: { A: '1' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } },
      strategy: { maxSurge: 1, maxUnavailable: 0 },
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    }))).toEqual([]);
  });

  it.each([
    // the image grammar (001:10-58): the API server takes any string, the kubelet then says InvalidImageName
    [{ image: 'nginx:1.14.2!' }, 'image', 'tag "1.14.2!" is invalid: must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'],
    [{ image: 'Nginx' }, 'image', 'repository "Nginx" is invalid: must be lower-case'],
    [{ image: 'registry.example:http/app' }, 'image', 'registry "registry.example:http" is invalid: must be a host name or IP address with an optional port, such as fictional.registry.example:10443'],
    [{ image: 'app@sha256:abc' }, 'image', 'digest "sha256:abc" is invalid: must be sha256: followed by 64 lower-case hex digits'],
    // ports: names unique, numbers unique (server-side apply keys ports by containerPort+protocol)
    [{ ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] }, 'ports.1.name', 'Duplicate value: "http"'],
    [{ ports: [{ containerPort: 80 }, { name: 'web', containerPort: 80 }] }, 'ports.1.containerPort', 'Duplicate value: 80/TCP'],
    [{ ports: [{ name: '8080', containerPort: 8080 }] }, 'ports.0.name', 'port name "8080" must contain at least one letter (a-z)'],
    [{ ports: [{ name: 'my--port', containerPort: 8080 }] }, 'ports.0.name', 'port name "my--port" must not contain consecutive hyphens'],
    // requests ≤ limits, compared as quantities (000:6302-6305, 000:5897-5898)
    [{ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }, 'resources.requests.cpu', 'Invalid value: "2": must be less than or equal to cpu limit of 1'],
    [{ resources: { requests: { cpu: '1001m' }, limits: { cpu: '1' } } }, 'resources.requests.cpu', 'Invalid value: "1001m": must be less than or equal to cpu limit of 1'],
    [{ resources: { requests: { memory: '129M' }, limits: { memory: '123Mi' } } }, 'resources.requests.memory', 'Invalid value: "129M": must be less than or equal to memory limit of 123Mi'],
    [{ resources: { requests: { memory: '1Gi' }, limits: { memory: '1G' } } }, 'resources.requests.memory', 'Invalid value: "1Gi": must be less than or equal to memory limit of 1G'],
    [{ resources: { requests: { memory: '2e9' }, limits: { memory: '1.5G' } } }, 'resources.requests.memory', 'Invalid value: "2e9": must be less than or equal to memory limit of 1.5G'],
    // a named probe port must be one of the container's ports
    [{ readinessProbe: { httpGet: { path: '/', port: 'http' } } }, 'readinessProbe.httpGet.port', 'port "http" is not a named port of the container (named ports: none)'],
    [{ ports: [{ name: 'web', containerPort: 80 }], readinessProbe: { tcpSocket: { port: 'http' } } }, 'readinessProbe.tcpSocket.port', 'port "http" is not a named port of the container (named ports: web)'],
    [{ readinessProbe: { tcpSocket: { port: 'Http' } } }, 'readinessProbe.tcpSocket.port', 'port name "Http" must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    // strategy values the schema lets through
    [{ strategy: { maxUnavailable: '150%' } }, 'strategy.maxUnavailable', 'Invalid value: "150%": must not be greater than 100%'],
    [{ strategy: { maxSurge: '00%', maxUnavailable: 0 } }, 'strategy.maxUnavailable', 'may not be 0 when `maxSurge` is 0'],
  ])('%j → %s', (body, path, message) => {
    expect(validateDeployRequest(parse(body))).toEqual([{ path, message }]);
  });

  it.each([
    [{ resources: { requests: { cpu: '1' }, limits: { cpu: '1000m' } } }],
    [{ resources: { requests: { memory: '128974848' }, limits: { memory: '123Mi' } } }],
    [{ resources: { requests: { cpu: '500m' } } }],
    [{ resources: { limits: { cpu: '500m' } } }],
    [{ strategy: { maxSurge: '200%', maxUnavailable: '0%' } }],
    [{ strategy: { maxUnavailable: '100%' } }],
    [{ readinessProbe: { httpGet: { path: '/', port: 8080 } } }],
    [{ ports: [{ name: 'h2c', containerPort: 80 }, { containerPort: 81 }, { containerPort: 82 }] }],
    [{ image: 'fictional.registry.example:10443/imagename' }],
  ])('accepts %j', (body) => {
    expect(validateDeployRequest(parse(body))).toEqual([]);
  });

  it('reports every problem, each against its field', () => {
    const errors = validateDeployRequest(parse({
      image: 'BAD',
      ports: [{ name: 'web', containerPort: 80 }, { name: 'web', containerPort: 80 }],
      resources: { requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      readinessProbe: { httpGet: { path: '/', port: 'http' } },
    }));
    expect(errors.map((e) => e.path)).toEqual([
      'image', 'ports.1.name', 'ports.1.containerPort', 'resources.requests.cpu', 'resources.requests.memory', 'readinessProbe.httpGet.port',
    ]);
  });

  it('stands on its own for callers that skipped the schema', () => {
    const unchecked = {
      ...base,
      replicas: -1,
      resources: { limits: { cpu: 'lots' } },
      strategy: { type: 'Recreate', maxSurge: 1 },
    } as unknown as DeployRequest;
    expect(validateDeployRequest(unchecked)).toEqual([
      { path: 'replicas', message: 'must be greater than or equal to 0' },
      { path: 'resources.limits.cpu', message: expect.stringContaining('quantity "lots" is invalid') },
      { path: 'strategy', message: "rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'" },
    ]);
  });
});

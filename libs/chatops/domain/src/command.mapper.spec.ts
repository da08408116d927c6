import { deployRequestSchema } from '@bosun/contracts';
import {
  commandToRequest, decisionsPath, DEFAULT_AVAILABLE_CAPABILITIES, DEPLOYER_CAPABILITIES, parseCommand, type Capability, type ChatCommand, type ChatRequest,
} from './index';

const parsed = (text: string): ChatCommand => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(r.reason);
  return r.command;
};
const map = (text: string, available?: ReadonlySet<Capability>): ChatRequest => commandToRequest(parsed(text), available);

describe('commandToRequest', () => {
  it('maps deploy to the deployer operation with a body the API schema accepts', () => {
    const req = map('deploy team-a/web nginx:1.27 replicas=3 reason="hot fix"');
    expect(req).toEqual({
      type: 'operation', kind: 'deployment.deploy', owner: 'deployer', method: 'POST', path: '/v1/deployments',
      body: { namespace: 'team-a', name: 'web', image: 'nginx:1.27', replicas: 3, changeCause: 'hot fix' },
      payload: { namespace: 'team-a', name: 'web', image: 'nginx:1.27', replicas: 3, changeCause: 'hot fix' },
      target: { kind: 'Deployment', namespace: 'team-a', name: 'web' },
    });
    if (req.type !== 'operation') throw new Error('operation expected');
    expect(deployRequestSchema.safeParse(req.body).success).toBe(true);
  });

  it.each([
    ['set-image team-a/web nginx:1.28', 'deployment.set-image', 'PUT', '/v1/deployments/team-a/web/image', { image: 'nginx:1.28' }],
    ['rollback team-a/web', 'deployment.rollback', 'POST', '/v1/deployments/team-a/web/rollback', {}],
    ['rollback team-a/web to=2', 'deployment.rollback', 'POST', '/v1/deployments/team-a/web/rollback', { toRevision: 2 }],
    ['pause team-a/web', 'deployment.pause', 'POST', '/v1/deployments/team-a/web/pause', {}],
    ['resume team-a/web', 'deployment.resume', 'POST', '/v1/deployments/team-a/web/resume', {}],
    ['restart team-a/web', 'deployment.restart', 'POST', '/v1/deployments/team-a/web/restart', {}],
    ['scale team-a/web 4', 'deployment.scale', 'POST', '/v1/deployments/team-a/web/scale', { replicas: 4 }],
  ])('%s → %s', (text, kind, method, path, body) => {
    expect(map(text)).toEqual({
      type: 'operation', kind, owner: 'deployer', method, path, body,
      payload: { namespace: 'team-a', name: 'web', ...body }, target: { kind: 'Deployment', namespace: 'team-a', name: 'web' },
    });
  });

  it.each([
    ['status team-a/web', 'deployment.get', 'get', '/v1/deployments/team-a/web'],
    ['history team-a/web', 'deployment.history', 'history', '/v1/deployments/team-a/web/history'],
    ['diagnose team-a/web', 'deployment.diagnosis', 'diagnosis', '/v1/deployments/team-a/web/diagnosis'],
  ])('%s is a deployer query', (text, capability, query, path) => {
    expect(map(text)).toEqual({ type: 'query', capability, owner: 'deployer', query, method: 'GET', path, params: { namespace: 'team-a', name: 'web' } });
  });

  it('maps op, approve and reject to the gateway', () => {
    expect(map('op op_1')).toMatchObject({ type: 'query', capability: 'operation.get', owner: 'gateway', path: '/v1/operations/op_1' });
    expect(map('approve op_1')).toEqual({ type: 'decision', decision: 'approve', operationId: 'op_1', method: 'POST', path: '/v1/operations/op_1/approve' });
    expect(map('reject op_1')).toEqual({ type: 'decision', decision: 'reject', operationId: 'op_1', method: 'POST', path: '/v1/operations/op_1/reject' });
  });

  it('maps help with its topic', () => {
    expect(map('help')).toEqual({ type: 'help' });
    expect(map('help pvc why')).toEqual({ type: 'help', topic: 'pvc why' });
  });

  it.each([
    ['dns check', 'dns.checks', 'dns-inspector'],
    ['dns check team-a/api', 'dns.checks', 'dns-inspector'],
    ['dns lookup team-a api', 'dns.lookup', 'dns-inspector'],
    ['pvc why team-a/data', 'storage.claim-diagnosis', 'storage'],
    ['tenant create team-b cpu=2', 'tenant.create', 'provisioner'],
    ['nodes', 'node.list', 'provisioner'],
    ['drain worker-1', 'node.drain', 'provisioner'],
    ['drain worker-1 dry-run', 'node.drain-plan', 'provisioner'],
    ['autoscalers', 'autoscaler.list', 'autoscaler'],
    ['why-scale team-a/web', 'autoscaler.decisions', 'autoscaler'],
  ])('%s is on by default, and coming soon once switched off', (text, capability, owner) => {
    const cmd = parsed(text);
    expect(commandToRequest(cmd).type).not.toBe('coming-soon');
    expect(DEFAULT_AVAILABLE_CAPABILITIES.has(capability as Capability)).toBe(true);
    expect(commandToRequest(cmd, DEPLOYER_CAPABILITIES)).toEqual({ type: 'coming-soon', capability, verb: cmd.verb, owner });
  });

  it.each([
    ['dns check', { type: 'operation', kind: 'dns.checks', owner: 'dns-inspector', method: 'POST', path: '/v1/dns/checks', body: {} }],
    ['dns check team-a', { type: 'operation', method: 'POST', path: '/v1/dns/checks', body: { namespace: 'team-a' }, target: { kind: 'Namespace', namespace: 'team-a' } }],
    ['dns check team-a/api', {
      type: 'operation', kind: 'dns.checks', method: 'POST', path: '/v1/dns/checks', body: { namespace: 'team-a', service: 'api' },
      target: { kind: 'Service', namespace: 'team-a', name: 'api' },
    }],
    ['dns lookup team-a api', { type: 'query', capability: 'dns.lookup', owner: 'dns-inspector', method: 'POST', path: '/v1/dns/lookups', body: { namespace: 'team-a', name: 'api' } }],
    ['dns lookup team-a api type=AAAA', { method: 'POST', path: '/v1/dns/lookups', body: { namespace: 'team-a', name: 'api', type: 'AAAA' } }],
    ['pvc why team-a/data', { type: 'query', owner: 'storage', method: 'GET', path: '/v1/storage/claims/team-a/data/diagnosis', params: { namespace: 'team-a', name: 'data' } }],
    ['tenant create team-b cpu=2 memory=4Gi', {
      type: 'operation', kind: 'tenant.create', owner: 'provisioner', method: 'POST', path: '/v1/tenants', body: { name: 'team-b', quota: { cpu: '2', memory: '4Gi' } },
    }],
    ['tenant create team-b memory=1Gi', { method: 'POST', path: '/v1/tenants', body: { name: 'team-b', quota: { memory: '1Gi' } } }],
    ['tenant create team-b', { method: 'POST', path: '/v1/tenants', body: { name: 'team-b' } }],
    ['nodes', { type: 'query', owner: 'provisioner', method: 'GET', path: '/v1/nodes' }],
    ['drain node-1.example', {
      type: 'operation', kind: 'node.drain', method: 'POST', path: '/v1/nodes/node-1.example/drain', body: {}, target: { kind: 'Node', name: 'node-1.example' },
    }],
    ['drain node-1.example dry-run', { type: 'query', capability: 'node.drain-plan', method: 'POST', path: '/v1/nodes/node-1.example/drain?dryRun=true', body: {}, params: { node: 'node-1.example' } }],
    ['autoscalers', { type: 'query', owner: 'autoscaler', method: 'GET', path: '/v1/autoscalers', params: {} }],
    ['autoscalers team-a', { type: 'query', method: 'GET', path: '/v1/autoscalers', params: { namespace: 'team-a' } }],
    ['why-scale team-a/web', { type: 'query', capability: 'autoscaler.decisions', method: 'GET', path: '/v1/autoscalers', params: { namespace: 'team-a', name: 'web' } }],
  ])('%s → the HTTP call API.md defines', (text, expected) => {
    expect(map(text)).toMatchObject(expected);
  });

  it('the second read of why-scale asks for the last five decisions', () => {
    expect(decisionsPath('as-0123456789')).toBe('/v1/autoscalers/as-0123456789/decisions?limit=5');
  });

  it('dry-run and the real drain differ only in the query string and the kind of answer', () => {
    const dry = map('drain worker-1 dry-run');
    const real = map('drain worker-1');
    expect(dry.type === 'query' && dry.body).toEqual({});
    expect(real.type === 'operation' && real.body).toEqual({});
    expect(real.type === 'operation' && real.path).toBe('/v1/nodes/worker-1/drain');
  });

  it('turns deployer verbs into coming-soon when the deployer is not available', () => {
    expect(commandToRequest(parsed('scale a/b 1'), new Set<Capability>(['operation.get']))).toEqual({
      type: 'coming-soon', capability: 'deployment.scale', verb: 'scale', owner: 'deployer',
    });
    expect(commandToRequest(parsed('approve op_1'), new Set<Capability>())).toMatchObject({ type: 'coming-soon', owner: 'gateway' });
    expect(commandToRequest(parsed('help'), new Set<Capability>())).toEqual({ type: 'help' });
  });
});

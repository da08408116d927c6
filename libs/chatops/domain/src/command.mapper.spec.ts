import { deployRequestSchema } from '@bosun/contracts';
import {
  commandToRequest, DEFAULT_AVAILABLE_CAPABILITIES, parseCommand, type Capability, type ChatCommand, type ChatRequest,
} from './index';

const parsed = (text: string): ChatCommand => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(r.reason);
  return r.command;
};
const map = (text: string, available?: ReadonlySet<Capability>): ChatRequest => commandToRequest(parsed(text), available);
const everything = new Set<Capability>([...DEFAULT_AVAILABLE_CAPABILITIES, 'dns.check', 'tenant.create', 'node.list', 'node.drain', 'storage.claim-diagnosis']);

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
    ['dns check', 'dns.check', 'dns-inspector'],
    ['dns check team-a/api', 'dns.check', 'dns-inspector'],
    ['pvc why team-a/data', 'storage.claim-diagnosis', 'storage'],
    ['tenant create team-b cpu=2', 'tenant.create', 'provisioner'],
    ['nodes', 'node.list', 'provisioner'],
    ['drain worker-1', 'node.drain', 'provisioner'],
  ])('%s is coming soon by default', (text, capability, owner) => {
    const cmd = parsed(text);
    expect(commandToRequest(cmd)).toEqual({ type: 'coming-soon', capability, verb: cmd.verb, owner });
  });

  it('maps the coming verbs once their capability is available', () => {
    expect(map('dns check team-a/api', everything)).toMatchObject({
      type: 'operation', kind: 'dns.check', path: '/v1/dns/checks', body: { namespace: 'team-a', service: 'api' },
      target: { kind: 'Service', namespace: 'team-a', name: 'api' },
    });
    expect(map('dns check', everything)).toMatchObject({ type: 'operation', body: {} });
    expect(map('pvc why team-a/data', everything)).toMatchObject({ type: 'query', path: '/v1/storage/claims/team-a/data/diagnosis' });
    expect(map('tenant create team-b cpu=2 memory=4Gi', everything)).toMatchObject({
      type: 'operation', kind: 'tenant.create', path: '/v1/tenants', body: { name: 'team-b', quota: { cpu: '2', memory: '4Gi' } },
    });
    expect(map('tenant create team-b', everything)).toMatchObject({ body: { name: 'team-b' } });
    expect(map('nodes', everything)).toMatchObject({ type: 'query', path: '/v1/nodes' });
    expect(map('drain node-1.example', everything)).toMatchObject({
      type: 'operation', kind: 'node.drain', path: '/v1/nodes/node-1.example/drain', target: { kind: 'Node', name: 'node-1.example' },
    });
  });

  it('turns deployer verbs into coming-soon when the deployer is not available', () => {
    expect(commandToRequest(parsed('scale a/b 1'), new Set<Capability>(['operation.get']))).toEqual({
      type: 'coming-soon', capability: 'deployment.scale', verb: 'scale', owner: 'deployer',
    });
    expect(commandToRequest(parsed('approve op_1'), new Set<Capability>())).toMatchObject({ type: 'coming-soon', owner: 'gateway' });
    expect(commandToRequest(parsed('help'), new Set<Capability>())).toEqual({ type: 'help' });
  });
});

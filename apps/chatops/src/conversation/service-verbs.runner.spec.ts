import { parseCommand, type ChatCommand, type SlackMessage } from '@bosun/chatops-domain';
import { FakeGateway, operation, testOptions } from '../testing/fakes';
import type { GatewayCall, GatewayProblem, GatewayResult } from '../gateway/chat-gateway.port';
import { CommandRunner } from './command.runner';

// The verbs of the dns-inspector, storage, provisioner and autoscaler, through the runner
// against our gateway port: the exact HTTP call, the rendered answer, and the words for a
// service that is not there.

const alice = { platform: 'slack' as const, userId: 'U1' };
const cmd = (text: string): ChatCommand => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(r.reason);
  return r.command;
};
const ok = (value: unknown, status = 200): GatewayResult<unknown> => ({ ok: true, status, value });
const refused = (problem: GatewayProblem): GatewayResult<unknown> => ({ ok: false, problem });
const visible = (m: SlackMessage): string => `${m.text}\n${JSON.stringify(m.blocks)}`;
const callOf = ({ method, path, body }: GatewayCall): Omit<GatewayCall, 'timeoutMs'> => (body === undefined ? { method, path } : { method, path, body });

const run = async (text: string, respond: ConstructorParameters<typeof FakeGateway>[0]) => {
  const gw = new FakeGateway(respond);
  const reply = await new CommandRunner(gw, testOptions()).run(alice, cmd(text));
  return { gw, reply, calls: gw.calls.map((c) => callOf(c.call)) };
};

describe('service verbs: the HTTP call each makes, as the chat user', () => {
  it.each([
    ['dns check', { method: 'POST', path: '/v1/dns/checks', body: {} }],
    ['dns check team-a/api', { method: 'POST', path: '/v1/dns/checks', body: { namespace: 'team-a', service: 'api' } }],
    ['tenant create team-b cpu=4 memory=8Gi', { method: 'POST', path: '/v1/tenants', body: { name: 'team-b', quota: { cpu: '4', memory: '8Gi' } } }],
    ['drain worker-1', { method: 'POST', path: '/v1/nodes/worker-1/drain', body: {} }],
  ])('%s is an operation: %j, acked with the operation to follow', async (text, expected) => {
    const op = operation({ id: 'op_svc1', kind: 'x', status: 'queued', target: { cluster: 'default', kind: 'Node', name: 'worker-1' } });
    const { gw, reply, calls } = await run(text, () => ok(op, 202));
    expect(calls).toEqual([expected]);
    expect(gw.calls[0].user).toEqual(alice);
    expect(reply.operation).toEqual(op);
    expect(reply.message).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('op_svc1') });
  });

  it.each([
    ['dns lookup team-a api', { method: 'POST', path: '/v1/dns/lookups', body: { namespace: 'team-a', name: 'api' } }, { queries: [], wasted: 0 }],
    ['drain worker-1 dry-run', { method: 'POST', path: '/v1/nodes/worker-1/drain?dryRun=true', body: {} }, { evict: [], skip: [], refuse: [], blocked: [] }],
    ['pvc why team-a/data', { method: 'GET', path: '/v1/storage/claims/team-a/data/diagnosis' }, { phase: 'Bound', boundTo: 'pv-1', candidates: [], hint: '' }],
    ['nodes', { method: 'GET', path: '/v1/nodes' }, []],
    ['autoscalers team-a', { method: 'GET', path: '/v1/autoscalers' }, { items: [] }],
  ])('%s is answered at once: %j', async (text, expected, answer) => {
    const { reply, calls } = await run(text, () => ok(answer));
    expect(calls).toEqual([expected]);
    expect(reply.operation).toBeUndefined();
    expect(reply.message.response_type).toBe('ephemeral');
  });
});

describe('service verbs: what they answer', () => {
  it('an operation that is already finished when the POST answers shows its outcome at once', async () => {
    const done = operation({ id: 'op_dns2', kind: 'dns.checks', status: 'succeeded', target: { cluster: 'default', kind: 'Service' }, result: { checks: [{ id: 'a', title: 'Pods ready', status: 'pass', detail: 'ok' }] } });
    const { reply } = await run('dns check', () => ok(done, 202));
    expect(reply.message.text).toMatch(/^DNS check cluster default: succeeded \(1 pass\)/);
    expect(visible(reply.message)).toContain('✅ *1. Pods ready*');
  });

  it('dns lookup renders every query, the answer and the hint', async () => {
    const lookup = { queries: [{ name: 'api.team-a.svc.cluster.local.', rcode: 'NXDOMAIN', answers: [], ms: 1 }, { name: 'api.svc.cluster.local.', rcode: 'NOERROR', answers: ['10.0.0.7'], ms: 2 }], answeredBy: 'api.svc.cluster.local.', wasted: 1, hint: 'add a trailing dot' };
    const { reply } = await run('dns lookup team-a api', () => ok(lookup));
    expect(reply.message.text).toBe('api (from team-a): answered by api.svc.cluster.local., 1 wasted of 2 queries. add a trailing dot');
  });

  it('pvc why renders a Pending claim with causes and candidates', async () => {
    const d = { phase: 'Pending', candidates: [{ volume: 'pv-a', matches: false, reasons: ['capacity 1Gi < 5Gi'] }], hint: 'create a bigger volume', causes: [{ code: 'NoMatchingVolume', message: 'none fits', hint: 'h' }] };
    const { reply } = await run('pvc why team-a/data', () => ok(d));
    expect(reply.message.text).toBe('team-a/data is Pending — NoMatchingVolume: none fits (1 volumes considered, 0 match)');
    expect(visible(reply.message)).toContain('pv-a');
  });

  it('nodes renders the list, {items} or a bare array, unknown fields ignored', async () => {
    const node = { name: 'w1', ready: 'True', schedulable: true, roles: [], taints: [], problems: [], pods: 3, brandNew: true };
    expect((await run('nodes', () => ok({ items: [node] }))).reply.message.text).toBe('1 node: 1 ready');
    expect((await run('nodes', () => ok([node, { ...node, name: 'w2', ready: 'Unknown' }]))).reply.message.text).toBe('2 nodes: 1 ready, 1 not ready');
  });

  it('drain dry-run renders the plan with its blockers', async () => {
    const plan = { evict: ['a/web-1'], skip: [], refuse: [], blocked: [{ pod: 'a/web-1', disruptionBudget: 'a/web', needs: 2, has: 2 }] };
    const { reply } = await run('drain worker-1 dry-run', () => ok(plan));
    expect(visible(reply.message)).toContain('a/web-1 is blocked by PodDisruptionBudget a/web: it needs 2 healthy pods and has 2');
  });

  it('autoscalers filters by the target namespace client-side', async () => {
    const as = (id: string, namespace: string) => ({ id, target: { kind: 'Deployment', namespace, name: 'web' }, mode: 'managed', minReplicas: 1, maxReplicas: 3, currentReplicas: 1, desiredReplicas: 1, metrics: [], conditions: [] });
    const { reply } = await run('autoscalers team-a', () => ok({ items: [as('as-aaaaaaaaaa', 'team-a'), as('as-bbbbbbbbbb', 'team-b')] }));
    expect(reply.message.text).toBe('1 autoscaler in team-a');
    expect(visible(reply.message)).not.toContain('as-bbbbbbbbbb');
  });

  it('why-scale finds the autoscaler of the workload, then reads its last five decisions', async () => {
    const web = { id: 'as-web0000001', target: { kind: 'Deployment', namespace: 'team-a', name: 'web' }, mode: 'managed', minReplicas: 2, maxReplicas: 8, currentReplicas: 5, desiredReplicas: 8, metrics: [], conditions: [] };
    const other = { ...web, id: 'as-oth0000001', target: { kind: 'Deployment', namespace: 'team-a', name: 'api' } };
    const decisions = { items: [{ at: 't1', currentReplicas: 5, desiredReplicas: 8, recommendation: 10, limitedBy: 'maxReplicas', perMetric: [{ name: 'cpu', current: '180', proposal: 10 }], explanation: 'New size: 8' }] };
    const { reply, calls } = await run('why-scale team-a/web', (_u, c) => ok(c.path === '/v1/autoscalers' ? { items: [other, web] } : decisions));
    expect(calls).toEqual([{ method: 'GET', path: '/v1/autoscalers' }, { method: 'GET', path: '/v1/autoscalers/as-web0000001/decisions?limit=5' }]);
    expect(reply.message.text).toBe('team-a/web: autoscaler as-web0000001 went from 5 to 8 replicas; cpu at 180 asks for 10. The metrics recommended 10, capped at the maximum (maxReplicas 8).');
  });

  it('why-scale without an autoscaler says so, after one call', async () => {
    const { reply, calls } = await run('why-scale team-a/web', () => ok({ items: [] }));
    expect(calls).toHaveLength(1);
    expect(reply.message.text).toBe('No autoscaler targets team-a/web, so its replicas change only when someone scales it.');
  });
});

describe('service verbs: a service that is not there, and refusals', () => {
  const routeMissing: GatewayProblem = { title: 'Not Found', status: 404, detail: 'no such resource' };
  const noService: GatewayProblem = { title: 'Service Unavailable', status: 503, code: 'Unreachable', detail: 'no service answers bosun.qry.provisioner.nodes-list.v1' };
  const notImplemented: GatewayProblem = { title: 'Not Implemented', status: 501, detail: 'storage is not built into this gateway' };

  it.each([
    ['nodes', routeMissing, 'provisioner', 'HTTP 404 no such resource'],
    ['nodes', noService, 'provisioner', 'HTTP 503 Unreachable: no service answers bosun.qry.provisioner.nodes-list.v1'],
    ['pvc why team-a/data', notImplemented, 'storage', 'HTTP 501 storage is not built into this gateway'],
    ['dns check', routeMissing, 'dns-inspector', 'HTTP 404 no such resource'],
    ['dns lookup team-a api', noService, 'dns-inspector', 'HTTP 503 Unreachable'],
    ['tenant create team-b', routeMissing, 'provisioner', 'HTTP 404'],
    ['drain worker-1', noService, 'provisioner', 'HTTP 503'],
    ['drain worker-1 dry-run', routeMissing, 'provisioner', 'HTTP 404'],
    ['autoscalers', routeMissing, 'autoscaler', 'HTTP 404'],
    ['why-scale team-a/web', noService, 'autoscaler', 'HTTP 503'],
  ])('%s with %j reads "the %s service is not answering"', async (text, problem, owner, reason) => {
    const { reply } = await run(text, () => refused(problem));
    expect(reply.message.text).toContain(`the ${owner} service is not answering in this Bosun right now (${reason}`);
    expect(reply.message.response_type).toBe('ephemeral');
    expect(reply.operation).toBeUndefined();
  });

  it('a decisions route that is missing after the list reads the same way', async () => {
    const web = { id: 'as-web0000001', target: { kind: 'Deployment', namespace: 'team-a', name: 'web' } };
    const { reply } = await run('why-scale team-a/web', (_u, c) => (c.path === '/v1/autoscalers' ? ok({ items: [web] }) : refused(routeMissing)));
    expect(reply.message.text).toContain('the autoscaler service is not answering');
  });

  it('an unknown object (404 NotFound) is shown as the error it is, not as a missing service', async () => {
    const { reply } = await run('pvc why team-a/data', () => refused({ title: 'Not Found', status: 404, code: 'NotFound', detail: 'claim team-a/data does not exist' }));
    expect(reply.message.text).toMatch(/NotFound.*claim team-a\/data does not exist/);
    expect(reply.message.text).not.toContain('not answering');
  });

  it('a 422 problem+json shows its detail and field errors', async () => {
    const { reply } = await run('tenant create team-b cpu=4', () => refused({
      title: 'Unprocessable Entity', status: 422, code: 'Invalid', detail: 'the request has invalid fields', errors: [{ path: 'name', message: 'name "team-b" is reserved' }],
    }));
    expect(reply.message.text).toBe('Unprocessable Entity — the request has invalid fields — name: name "team-b" is reserved');
  });

  it('a gateway that cannot be reached is not blamed on the service', async () => {
    const { reply } = await run('nodes', () => refused({ title: 'Service Unavailable', status: 503, code: 'Unavailable', transport: true, detail: 'the Bosun API is unreachable (ECONNREFUSED)' }));
    expect(reply.message.text).toMatch(/Unavailable.*the Bosun API is unreachable/);
    expect(reply.message.text).not.toContain('provisioner');
  });

  it('an unlinked user is still told how to get linked', async () => {
    const { reply } = await run('nodes', () => refused({ title: 'Forbidden', status: 403, code: 'ChatIdentityNotLinked' }));
    expect(reply.message.text).toMatch(/Nothing ran: your slack user U1 is not linked/);
  });
});

import type { DeploymentView, Operation } from '@bosun/contracts';
import {
  commandToRequest, DEPLOYER_CAPABILITIES, parseCommand, renderComingSoon, renderError, renderNotAnswering, renderHelp, renderNotLinked, renderParseFailure,
  renderQueryResult, renderUsage, VERB_SPECS, type SlackMessage,
} from './index';

const allText = (m: SlackMessage): string => `${m.text}\n${JSON.stringify(m.blocks)}`;
const failure = (text: string) => {
  const r = parseCommand(text);
  if (r.ok) throw new Error('expected a failure');
  return r;
};

describe('help and usage', () => {
  it('lists every verb with its usage, privately', () => {
    const m = renderHelp();
    expect(m.response_type).toBe('ephemeral');
    for (const s of VERB_SPECS) expect(m.text).toContain(s.verb);
    expect(allText(m)).toContain('`/bosun deploy &lt;ns&gt;/&lt;name&gt; &lt;image&gt; [replicas=N] [reason=\\"…\\"]`');
    expect(m.blocks.length).toBeLessThanOrEqual(50);
  });

  it('shows one verb with an example for help <verb>', () => {
    const m = renderHelp('scale');
    expect(m.text).toBe('Usage: /bosun scale &lt;ns&gt;/&lt;name&gt; &lt;N&gt;');
    expect(allText(m)).toContain('/bosun scale team-a/web 5');
  });

  it('puts the reason before the usage line of a malformed command', () => {
    const m = renderParseFailure(failure('deploy team-a/web'));
    expect(m.text).toBe('missing &lt;image&gt;. Usage: /bosun deploy &lt;ns&gt;/&lt;name&gt; &lt;image&gt; [replicas=N] [reason="…"]');
    expect(m.response_type).toBe('ephemeral');
    expect(renderUsage('deploy', 'missing <image>').text).toBe(m.text);
  });

  it('answers an unknown verb with every verb and a suggestion', () => {
    const m = renderParseFailure(failure('deplyo team-a/web nginx'));
    expect(m.text).toBe('unknown command "deplyo"; did you mean "deploy"?. Try /bosun help.');
    const text = allText(m);
    for (const s of VERB_SPECS) expect(text).toContain(`/bosun ${s.verb}`);
  });

  it('shows each family usage for a partial multi-word verb', () => {
    expect(allText(renderParseFailure(failure('dns')))).toContain('/bosun dns check [&lt;ns&gt;/&lt;svc&gt;]');
  });
});

describe('renderNotLinked', () => {
  it('tells the user how to get linked and that nothing ran', () => {
    const m = renderNotLinked('slack', 'U024BE7LH');
    expect(m.response_type).toBe('ephemeral');
    expect(m.text).toContain('Nothing ran');
    expect(m.text).toContain('PUT /v1/chat-identities/slack/U024BE7LH');
    expect(allText(m)).toContain('\\"subject\\": \\"user:&lt;you&gt;\\"');
  });

  it('encodes odd user ids in the path', () => {
    expect(renderNotLinked('slack', 'U1/../x').text).toContain('/v1/chat-identities/slack/U1%2F..%2Fx');
  });
});

describe('renderComingSoon', () => {
  it('says the capability is coming, not that something broke', () => {
    const req = commandToRequest({ verb: 'dns check' }, DEPLOYER_CAPABILITIES);
    if (req.type !== 'coming-soon') throw new Error('coming-soon expected');
    const m = renderComingSoon(req);
    expect(m.text).toBe('/bosun dns check is coming: DNS checks (the dns-inspector service) is not running in this Bosun yet. Nothing ran.');
    expect(allText(m)).toContain('🚧');
  });
});

describe('renderNotAnswering', () => {
  it('names the service and keeps the gateway\'s words, as a plain message', () => {
    const m = renderNotAnswering('provisioner', 'nodes', 'HTTP 503 Unreachable: no service answers bosun.qry.provisioner.nodes-list.v1');
    expect(m.response_type).toBe('ephemeral');
    expect(m.text).toBe('/bosun nodes: the provisioner service is not answering in this Bosun right now (HTTP 503 Unreachable: no service answers bosun.qry.provisioner.nodes-list.v1). Nothing ran; try again later or ask an operator.');
    expect(allText(m)).toContain('🔌');
    expect(allText(m)).not.toMatch(/❌|Error/);
  });
});

describe('renderError', () => {
  it('relays a Kubernetes 403 in plain words with a hint', () => {
    const m = renderError({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'User "alice" cannot patch deployments in namespace "prod"' });
    expect(m.text).toBe('Forbidden — User "alice" cannot patch deployments in namespace "prod"');
    expect(allText(m)).toContain('RoleBinding');
  });

  it('lists each bad field of a 422', () => {
    const m = renderError({ title: 'Invalid input', status: 422, errors: [{ path: 'replicas', message: 'replicas must be 0 or more' }] });
    expect(allText(m)).toContain('• `replicas`: replicas must be 0 or more');
    expect(m.text).toContain('replicas: replicas must be 0 or more');
  });

  it('takes a service Failure too', () => {
    expect(renderError({ code: 'NotFound', message: 'deployment team-a/web not found' }).text).toBe('NotFound — deployment team-a/web not found');
  });

  it('escapes what it relays', () => {
    expect(allText(renderError({ title: '<!here>', status: 500 }))).not.toContain('<!here>');
  });
});

describe('renderQueryResult', () => {
  const view: DeploymentView = {
    namespace: 'team-a', name: 'web', images: ['nginx:1.27'], revision: 4, paused: false,
    replicas: { desired: 3, updated: 2, ready: 2, available: 2 },
    conditions: [
      { type: 'Available', status: 'True' },
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' },
    ],
    rollout: { state: 'progressing', message: 'Waiting for rollout: 2 of 3 updated replicas are available' },
  };

  it('shows a deployment\'s status with its progress bar and troubled conditions', () => {
    const m = renderQueryResult({ kind: 'status', deployment: view });
    const text = allText(m);
    expect(m.text).toBe('team-a/web: rollout progressing, 2/3 ready, revision 4, nginx:1.27');
    expect(text).toContain('▰▰▱ 2/3 replicas updated');
    expect(text).toContain('Progressing=False ProgressDeadlineExceeded: timed out');
    expect(text).not.toContain('Available=True');
    expect(m.response_type).toBe('ephemeral');
  });

  it('lists history newest first with change causes', () => {
    const m = renderQueryResult({ kind: 'history', namespace: 'team-a', name: 'web', items: [
      { revision: 1, images: ['nginx:1.25'], changeCause: 'first' },
      { revision: 2, images: ['nginx:1.27'], changeCause: 'hot fix' },
    ] });
    const text = allText(m);
    expect(text.indexOf('*2*')).toBeLessThan(text.indexOf('*1*'));
    expect(text).toContain('hot fix');
    expect(text).toContain('/bosun rollback team-a/web to=&lt;revision&gt;');
    expect(m.text).toBe('team-a/web: 2 revisions, current 2 (nginx:1.27)');
    expect(renderQueryResult({ kind: 'history', namespace: 'a', name: 'b', items: [] }).text).toBe('a/b has no revisions yet.');
  });

  it('explains findings with hints', () => {
    const m = renderQueryResult({ kind: 'diagnosis', namespace: 'team-a', name: 'web', diagnosis: { healthy: false, findings: [
      { code: 'CrashLoopBackOff', pod: 'web-7d9-abc', container: 'app', message: 'back-off 5m0s restarting failed container', hint: 'Check the logs of the previous run.' },
    ] } });
    const text = allText(m);
    expect(m.text).toBe('team-a/web: not healthy; CrashLoopBackOff');
    expect(text).toContain('*CrashLoopBackOff* (pod `web-7d9-abc`, container `app`)');
    expect(text).toContain('💡 Check the logs of the previous run.');
    expect(renderQueryResult({ kind: 'diagnosis', namespace: 'a', name: 'b', diagnosis: { healthy: true, findings: [] } }).text).toBe('a/b looks healthy.');
  });

  it('keeps many findings within Slack\'s block limit', () => {
    const findings = Array.from({ length: 60 }, (_, i) => ({ code: 'NotReady', pod: `p${i}`, message: 'not ready', hint: 'h' }));
    const m = renderQueryResult({ kind: 'diagnosis', namespace: 'a', name: 'b', diagnosis: { healthy: false, findings } });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(allText(m)).toContain('and 40 more findings');
  });

  it('shows an operation privately', () => {
    const operation: Operation = {
      id: 'op_9', kind: 'deployment.scale', status: 'succeeded', actor: { subject: 'user:bob', groups: [], via: 'api' },
      target: { cluster: 'default', namespace: 'a', kind: 'Deployment', name: 'b' }, createdAt: 'x', updatedAt: 'y',
    };
    const m = renderQueryResult({ kind: 'operation', operation });
    expect(m.response_type).toBe('ephemeral');
    expect(m.text).toBe('Scale a/b: succeeded — operation op_9 by user:bob');
  });
});

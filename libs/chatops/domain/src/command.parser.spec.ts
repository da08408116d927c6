import { commandToRequest, generalUsage, parseCommand, renderAck, VERB_SPECS, type ChatCommand } from './index';

describe('parseCommand: every verb', () => {
  const ok: [string, ChatCommand][] = [
    ['help', { verb: 'help' }],
    ['', { verb: 'help' }],
    ['   ', { verb: 'help' }],
    ['help deploy', { verb: 'help', topic: 'deploy' }],
    ['help DNS check', { verb: 'help', topic: 'dns check' }],
    ['deploy team-a/web nginx:1.27', { verb: 'deploy', namespace: 'team-a', name: 'web', image: 'nginx:1.27' }],
    ['deploy team-a/web nginx:1.27 replicas=3', { verb: 'deploy', namespace: 'team-a', name: 'web', image: 'nginx:1.27', replicas: 3 }],
    ['deploy team-a/web nginx:1.27 replicas=0', { verb: 'deploy', namespace: 'team-a', name: 'web', image: 'nginx:1.27', replicas: 0 }],
    ['deploy team-a/web ghcr.io/org/app@sha256:abc123 reason="hot fix for #42" replicas=2',
      { verb: 'deploy', namespace: 'team-a', name: 'web', image: 'ghcr.io/org/app@sha256:abc123', replicas: 2, reason: 'hot fix for #42' }],
    ['deploy team-a/web localhost:5000/app:v1 REPLICAS=1', { verb: 'deploy', namespace: 'team-a', name: 'web', image: 'localhost:5000/app:v1', replicas: 1 }],
    ['set-image team-a/web nginx:1.28', { verb: 'set-image', namespace: 'team-a', name: 'web', image: 'nginx:1.28' }],
    ['set_image team-a/web nginx:1.28', { verb: 'set-image', namespace: 'team-a', name: 'web', image: 'nginx:1.28' }],
    ['rollback team-a/web', { verb: 'rollback', namespace: 'team-a', name: 'web' }],
    ['rollback team-a/web to=4', { verb: 'rollback', namespace: 'team-a', name: 'web', toRevision: 4 }],
    ['status team-a/web', { verb: 'status', namespace: 'team-a', name: 'web' }],
    ['history team-a/web', { verb: 'history', namespace: 'team-a', name: 'web' }],
    ['pause team-a/web', { verb: 'pause', namespace: 'team-a', name: 'web' }],
    ['resume team-a/web', { verb: 'resume', namespace: 'team-a', name: 'web' }],
    ['restart team-a/web', { verb: 'restart', namespace: 'team-a', name: 'web' }],
    ['scale team-a/web 5', { verb: 'scale', namespace: 'team-a', name: 'web', replicas: 5 }],
    ['scale team-a/web 0', { verb: 'scale', namespace: 'team-a', name: 'web', replicas: 0 }],
    ['diagnose team-a/web', { verb: 'diagnose', namespace: 'team-a', name: 'web' }],
    ['dns check', { verb: 'dns check' }],
    ['dns check team-a/api', { verb: 'dns check', namespace: 'team-a', service: 'api' }],
    ['dns check team-a', { verb: 'dns check', namespace: 'team-a' }],
    ['pvc why team-a/data', { verb: 'pvc why', namespace: 'team-a', claim: 'data' }],
    ['tenant create team-b', { verb: 'tenant create', name: 'team-b' }],
    ['tenant create team-b cpu=4 memory=8Gi', { verb: 'tenant create', name: 'team-b', cpu: '4', memory: '8Gi' }],
    ['tenant create team-b memory=512Mi', { verb: 'tenant create', name: 'team-b', memory: '512Mi' }],
    ['nodes', { verb: 'nodes' }],
    ['drain worker-1', { verb: 'drain', node: 'worker-1' }],
    ['drain ip-10-0-1-7.eu-west-1.compute.internal', { verb: 'drain', node: 'ip-10-0-1-7.eu-west-1.compute.internal' }],
    ['drain worker-1 dry-run', { verb: 'drain', node: 'worker-1', dryRun: true }],
    ['drain worker-1 --dry-run', { verb: 'drain', node: 'worker-1', dryRun: true }],
    ['drain worker-1 DRY_RUN', { verb: 'drain', node: 'worker-1', dryRun: true }],
    ['dns lookup team-a api', { verb: 'dns lookup', namespace: 'team-a', name: 'api' }],
    ['dns lookup team-a kubernetes.default.svc.cluster.local.', { verb: 'dns lookup', namespace: 'team-a', name: 'kubernetes.default.svc.cluster.local.' }],
    ['dns lookup team-a _http._tcp.web type=srv', { verb: 'dns lookup', namespace: 'team-a', name: '_http._tcp.web', type: 'SRV' }],
    ['dns lookup team-a Example.COM', { verb: 'dns lookup', namespace: 'team-a', name: 'Example.COM' }],
    ['autoscalers', { verb: 'autoscalers' }],
    ['autoscalers team-a', { verb: 'autoscalers', namespace: 'team-a' }],
    ['why-scale team-a/web', { verb: 'why-scale', namespace: 'team-a', name: 'web' }],
    ['why_scale team-a/web', { verb: 'why-scale', namespace: 'team-a', name: 'web' }],
    ['op op_01HZX3', { verb: 'op', operationId: 'op_01HZX3' }],
    ['approve op_abc-DEF_1', { verb: 'approve', operationId: 'op_abc-DEF_1' }],
    ['reject op_abc', { verb: 'reject', operationId: 'op_abc' }],
  ];
  it.each(ok)('%j', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it('covers every verb of the grammar', () => {
    const seen = new Set(ok.map(([, c]) => c.verb));
    expect([...seen].sort()).toEqual(VERB_SPECS.map((s) => s.verb).sort());
  });
});

describe('parseCommand: spacing, case and quoting', () => {
  const deploy = (reason: string): ChatCommand => ({ verb: 'deploy', namespace: 'ns', name: 'web', image: 'nginx', reason });
  const ok: [string, ChatCommand][] = [
    ['  \tdeploy   ns/web\t\tnginx  reason=x ', deploy('x')],
    ['DEPLOY ns/web nginx reason=x', deploy('x')],
    ['Dns   CHECK', { verb: 'dns check' }],
    ['deploy ns/web nginx reason="two words"', deploy('two words')],
    ['deploy ns/web nginx reason=“smart quotes from Slack”', deploy('smart quotes from Slack')],
    ['deploy ns/web nginx reason=”mismatched but closed“', deploy('mismatched but closed')],
    ['deploy ns/web nginx reason="say \\"hi\\" twice"', deploy('say "hi" twice')],
    ['deploy ns/web nginx reason="back\\\\slash"', deploy('back\\slash')],
    ['deploy ns/web nginx reason="keep \\n as typed"', deploy('keep \\n as typed')],
    ['deploy ns/web nginx reason="a=b is fine"', deploy('a=b is fine')],
    ['deploy ns/web nginx reason=multi"part"word', deploy('multipartword')],
    ['deploy ns/web nginx reason="  trimmed  "', deploy('trimmed')],
    ['deploy "ns/web" "nginx" reason=x', deploy('x')],
    ['deploy ns/web\u00a0nginx reason=x', deploy('x')],
  ];
  it.each(ok)('%j', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it('treats a quoted key=value as a positional word, not an option', () => {
    expect(parseCommand('deploy ns/web nginx "reason=two words"')).toMatchObject({ ok: false, reason: expect.stringContaining('too many arguments') });
  });
});

describe('parseCommand: malformed known verbs get that verb\'s usage', () => {
  const bad: [string, string, RegExp][] = [
    ['deploy', 'deploy', /missing <ns>\/<name>/],
    ['deploy team-a/web', 'deploy', /missing <image>/],
    ['deploy team-a/web nginx extra', 'deploy', /too many arguments/],
    ['deploy web nginx', 'deploy', /expected <namespace>\/<name>, got "web"/],
    ['deploy a/b/c nginx', 'deploy', /expected <namespace>\/<name>/],
    ['deploy /web nginx', 'deploy', /namespace is empty/],
    ['deploy team-a/ nginx', 'deploy', /name is empty/],
    ['deploy Team-A/web nginx', 'deploy', /namespace "Team-A" must be a DNS-1123 label.*did you mean "team-a"/],
    ['deploy team-a/web_app nginx', 'deploy', /name "web_app" must be a DNS-1123 label/],
    ['deploy team-a/-web nginx', 'deploy', /DNS-1123/],
    [`deploy team-a/${'a'.repeat(64)} nginx`, 'deploy', /at most 63/],
    ['deploy team-a/web "nginx latest"', 'deploy', /image "nginx latest" is not an image reference/],
    ['deploy team-a/web nginx replicas=-1', 'deploy', /replicas must be a whole number from 0 to 10000, got "-1"/],
    ['deploy team-a/web nginx replicas=1.5', 'deploy', /replicas must be a whole number/],
    ['deploy team-a/web nginx replicas=three', 'deploy', /replicas must be a whole number/],
    ['deploy team-a/web nginx replicas=10001', 'deploy', /from 0 to 10000/],
    ['deploy team-a/web nginx replicas=', 'deploy', /replicas must be a whole number/],
    ['deploy team-a/web nginx replicas=1 replicas=2', 'deploy', /option "replicas" is given twice/],
    ['deploy team-a/web nginx foo=bar', 'deploy', /unknown option "foo" \(deploy accepts replicas=, reason=\)/],
    ['deploy team-a/web nginx reason=""', 'deploy', /reason is empty/],
    ['deploy team-a/web nginx reason="unterminated', 'deploy', /never closed/],
    ['set-image team-a/web', 'set-image', /missing <image>/],
    ['set-image team-a/web nginx replicas=2', 'set-image', /unknown option "replicas" \(set-image takes no options\)/],
    ['rollback', 'rollback', /missing <ns>\/<name>/],
    ['rollback team-a/web to=0', 'rollback', /to \(the revision\) must be a whole number from 1/],
    ['rollback team-a/web 3', 'rollback', /too many arguments/],
    ['status', 'status', /missing <ns>\/<name>/],
    ['status team-a/web team-b/web', 'status', /too many arguments/],
    ['history team-a', 'history', /expected <namespace>\/<name>/],
    ['pause TEAM/web', 'pause', /DNS-1123/],
    ['resume', 'resume', /missing/],
    ['restart team-a/web now=1', 'restart', /unknown option "now"/],
    ['scale team-a/web', 'scale', /missing <N>/],
    ['scale team-a/web -1', 'scale', /from 0 to 10000/],
    ['scale team-a/web 2x', 'scale', /whole number/],
    ['diagnose team-a/web/x', 'diagnose', /expected <namespace>\/<name>/],
    ['dns check Team/svc', 'dns check', /namespace "Team"/],
    ['dns check a/b c/d', 'dns check', /too many arguments/],
    ['pvc why', 'pvc why', /missing <ns>\/<claim>/],
    ['pvc why team-a', 'pvc why', /expected <namespace>\/<claim>/],
    ['tenant create', 'tenant create', /missing <name>/],
    ['tenant create Team_B', 'tenant create', /tenant name "Team_B" must be a DNS-1123 label/],
    ['tenant create team-b cpu=lots', 'tenant create', /cpu "lots" must be a Kubernetes quantity/],
    ['tenant create team-b memory=8GB', 'tenant create', /memory "8GB" must be a Kubernetes quantity/],
    ['tenant create team-b pods=10', 'tenant create', /unknown option "pods" \(tenant create accepts cpu=, memory=\)/],
    ['nodes all', 'nodes', /nodes takes no arguments/],
    ['drain', 'drain', /missing <node>/],
    ['drain Worker_1', 'drain', /node name "Worker_1" must be a DNS-1123 subdomain/],
    ['drain worker..1', 'drain', /DNS-1123 subdomain/],
    ['op', 'op', /missing <id>/],
    ['op 123', 'op', /"123" is not an operation id/],
    ['approve op_', 'approve', /not an operation id/],
    ['reject op_1 op_2', 'reject', /too many arguments/],
  ];
  it.each(bad)('%j', (text, verb, reason) => {
    const r = parseCommand(text);
    if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.command)}`);
    expect(r.verb).toBe(verb);
    expect(r.usage).toBe(VERB_SPECS.find((s) => s.verb === verb)!.usage);
    expect(r.reason).toMatch(reason);
  });
});

describe('parseCommand: unknown verbs get the general usage', () => {
  it.each([
    ['frobnicate x', /unknown command "frobnicate"$/],
    ['deplyo team-a/web nginx', /unknown command "deplyo"; did you mean "deploy"\?/],
    ['statsu a/b', /did you mean "status"/],
    ['dns-check', /did you mean "dns check"/],
    ['"" deploy', /unknown command ""/],
    ['kubectl get pods', /unknown command "kubectl"/],
  ])('%j', (text, reason) => {
    const r = parseCommand(text);
    expect(r).toMatchObject({ ok: false, usage: generalUsage() });
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('lists every verb in the general usage', () => {
    for (const s of VERB_SPECS) expect(generalUsage()).toContain(s.usage);
    expect(generalUsage()).toContain('deploy <ns>/<name> <image> [replicas=N] [reason="…"]');
    expect(generalUsage()).toContain('dns check [<ns>/<svc>]');
  });

  it('answers the first word of a multi-word verb with that family\'s usage', () => {
    expect(parseCommand('dns')).toMatchObject({ ok: false, verb: 'dns check', reason: 'dns needs one of: check, lookup' });
    expect(parseCommand('dns resolve a b')).toMatchObject({
      ok: false, usage: 'dns check [<ns>/<svc>]\ndns lookup <ns> <name> [type=A|AAAA|SRV|CNAME|PTR]',
    });
    expect(parseCommand('pvc who a/b')).toMatchObject({ ok: false, verb: 'pvc why', reason: 'unknown pvc command "who"; pvc needs one of: why' });
    expect(parseCommand('tenant delete team-b')).toMatchObject({ ok: false, usage: 'tenant create <name> [cpu=…] [memory=…]' });
  });

  it.each([
    ['dns lookup', 'dns lookup', /missing <ns>/],
    ['dns lookup team-a', 'dns lookup', /missing <name>/],
    ['dns lookup team-a/api', 'dns lookup', /missing <name>/],
    ['dns lookup team-a/x api', 'dns lookup', /two words: dns lookup team-a <name>/],
    ['dns lookup Team-A api', 'dns lookup', /DNS-1123 label/],
    ['dns lookup team-a web..x', 'dns lookup', /not a DNS name/],
    ['dns lookup team-a api type=MX', 'dns lookup', /type must be one of A, AAAA, SRV, CNAME, PTR/],
    ['dns lookup team-a api extra', 'dns lookup', /too many arguments/],
    ['drain', 'drain', /missing <node>/],
    ['drain worker-1 now', 'drain', /expected dry-run after the node name, got "now"/],
    ['drain worker-1 dry-run please', 'drain', /too many arguments/],
    ['drain Worker_1', 'drain', /DNS-1123 subdomain/],
    ['autoscalers team-a/web', 'autoscalers', /DNS-1123 label/],
    ['autoscalers a b', 'autoscalers', /too many arguments/],
    ['why-scale', 'why-scale', /missing <ns>\/<name>/],
    ['why-scale web', 'why-scale', /expected <namespace>\/<name>/],
    ['pvc why data', 'pvc why', /expected <namespace>\/<claim>/],
    ['tenant create', 'tenant create', /missing <name>/],
    ['tenant create team-b cpu=lots', 'tenant create', /cpu "lots" must be a Kubernetes quantity/],
    ['tenant create team-b pods=3', 'tenant create', /unknown option "pods"/],
    ['nodes all', 'nodes', /nodes takes no arguments/],
    ['dns check a/b/c', 'dns check', /expected <namespace>\/<service>/],
  ])('refuses %j with the usage of %s', (text, verb, reason) => {
    const r = parseCommand(text);
    expect(r).toMatchObject({ ok: false, verb, reason: expect.stringMatching(reason) });
  });

  it('refuses help on an unknown topic', () => {
    expect(parseCommand('help frobnicate')).toMatchObject({ ok: false, verb: 'help', reason: 'there is no command "frobnicate"' });
    expect(parseCommand('help dns')).toMatchObject({ ok: false, verb: 'help' });
  });

  it('refuses unterminated quotes and oversized input with the general usage', () => {
    expect(parseCommand('"deploy')).toMatchObject({ ok: false, reason: 'a quote was opened but never closed' });
    expect(parseCommand('x'.repeat(5000))).toMatchObject({ ok: false, reason: expect.stringContaining('longer than') });
  });
});

describe('parseCommand never throws', () => {
  // A small seeded generator instead of a property-testing dependency: the alphabet is
  // biased toward the characters the grammar cares about.
  const alphabet = ['deploy ', 'dns ', 'check ', 'tenant ', 'create ', 'a/b ', '/', '=', '"', '“', '”', '\\', ' ', '\t',
    'replicas=', 'reason=', 'op_', 'x', 'A', '-', '_', '.', '0', '9', '\u00a0', '\u0000', '😀', '\ud800', 'é', '\n'];
  let seed = 0x2545f491;
  const next = (n: number): number => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const randomText = (): string => Array.from({ length: next(24) }, () => alphabet[next(alphabet.length)]).join('');

  it('returns a result for 5000 random strings', () => {
    for (let i = 0; i < 5000; i++) {
      const text = randomText();
      const r = parseCommand(text);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) {
        expect(r.usage.length).toBeGreaterThan(0);
        expect(r.reason.length).toBeGreaterThan(0);
      }
    }
  });

  it('maps and renders whatever it accepts, without throwing', () => {
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const r = parseCommand(randomText());
      if (!r.ok) continue;
      accepted++;
      expect(commandToRequest(r.command).type).toEqual(expect.any(String));
      expect(renderAck(r.command).text.length).toBeGreaterThan(0);
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('tolerates values that are not strings at all', () => {
    for (const v of [undefined, null, 42, {}, []]) {
      expect(parseCommand(v as unknown as string)).toMatchObject({ ok: false });
    }
  });
});

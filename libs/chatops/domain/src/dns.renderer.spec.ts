import { renderOperation } from './operation.renderer';
import { renderQueryResult } from './query.renderer';
import { readDnsChecks, readDnsLookup } from './result.views';
import { slackLimitViolations, visible } from './slack-limits.testing';
import type { Operation } from '@bosun/contracts';

const CHECKS = {
  checks: [
    { id: 'dns-pods', title: 'DNS pods are running and ready', status: 'pass', detail: '2 of 2 coredns pods ready' },
    { id: 'dns-service', title: 'kube-dns Service has endpoints', status: 'pass', detail: '10.96.0.10 → 2 endpoints' },
    { id: 'kubernetes-default', title: 'kubernetes.default resolves', status: 'pass', detail: 'kubernetes.default → 10.96.0.1' },
    { id: 'corefile', title: 'Corefile has no errors', status: 'warn', detail: '1 warning: cache 0', hint: 'Set cache to 30 s or more' },
    { id: 'upstream', title: 'Upstream resolution works', status: 'fail', detail: 'example.com: SERVFAIL', hint: 'Check the forward plugin and the node resolv.conf', evidence: { x: 1 } },
    { id: 'service-records', title: 'team-a/api has its records', status: 'skip', detail: 'no service named' },
    { id: 'search-path', title: 'Search path and ndots', status: 'pass', detail: 'ndots:5, 3 search domains', hint: 'never shown for a pass' },
  ],
};

const dnsOp = (over: Partial<Operation> = {}): Operation => ({
  id: 'op_dns1', kind: 'dns.checks', status: 'succeeded', actor: { subject: 'user:alice', groups: [], via: 'chat' },
  target: { cluster: 'default', namespace: 'team-a', kind: 'Service', name: 'api' }, result: CHECKS,
  createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:05Z', ...over,
});

describe('DNS checklist as the final message of dns check', () => {
  it('shows the seven steps in order with ✅ ⚠️ ❌ ⏭ and the hint under each failing step', () => {
    const m = renderOperation(dnsOp());
    const all = visible(m);
    expect(m.text).toBe('DNS check team-a/api: succeeded (1 fail, 1 warn, 4 pass, 1 skip) — operation op_dns1 by user:alice');
    const lines = all.split('\n').filter((l) => /^(✅|⚠️|❌|⏭) \*\d\./u.test(l));
    expect(lines.map((l) => l.slice(0, 2).trim())).toEqual(['✅', '✅', '✅', '⚠️', '❌', '⏭', '✅']);
    expect(all).toContain('❌ *5. Upstream resolution works* — example.com: SERVFAIL\n      💡 Check the forward plugin and the node resolv.conf');
    expect(all).toContain('⚠️ *4. Corefile has no errors* — 1 warning: cache 0\n      💡 Set cache to 30 s or more');
    expect(all).not.toContain('never shown for a pass');
    expect(all).toContain('❌ *DNS checklist*: 1 fail, 1 warn, 4 pass, 1 skip');
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it('an all-pass checklist is headed ✅; a running one shows no checklist yet', () => {
    const passing = { checks: CHECKS.checks.map((c) => ({ ...c, status: 'pass' })) };
    expect(visible(renderOperation(dnsOp({ result: passing })))).toContain('✅ *DNS checklist*: 7 pass');
    expect(visible(renderOperation(dnsOp({ status: 'running', result: undefined })))).not.toContain('checklist');
  });

  it('reads a step with an unknown status as skipped and long details are clipped', () => {
    const checks = readDnsChecks({ checks: [{ id: 'x', title: 'New step', status: 'maybe', detail: 'd'.repeat(5000) }] });
    expect(checks[0].status).toBe('skip');
    const m = renderOperation(dnsOp({ result: { checks: Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, title: `step ${i}`, status: 'fail', detail: 'x'.repeat(900), hint: 'h'.repeat(900) })) } }));
    expect(slackLimitViolations(m)).toEqual([]);
    expect(visible(m)).toContain('… and 40 more steps');
  });
});

describe('dns lookup', () => {
  const lookup = {
    queries: [
      { name: 'api.team-a.team-a.svc.cluster.local.', rcode: 'NXDOMAIN', answers: [], ms: 1.24 },
      { name: 'api.team-a.svc.cluster.local.', rcode: 'NOERROR', answers: ['10.96.12.7'], ms: 0.8 },
    ],
    answeredBy: 'api.team-a.svc.cluster.local.', wasted: 1,
    hint: '1 query before api.team-a.svc.cluster.local. answered: ask for api.team-a.svc.cluster.local. (with the trailing dot) to send one query',
    server: '10.96.0.10:53', resolvConf: { nameservers: [], searches: [], options: [], warnings: [] },
  };

  it('lists each query in order with rcode, answers and ms, which one answered, how many were wasted, and the hint', () => {
    const m = renderQueryResult({ kind: 'dns-lookup', namespace: 'team-a', name: 'api.team-a', lookup: readDnsLookup(lookup) });
    const all = visible(m);
    expect(m.response_type).toBe('ephemeral');
    expect(all).toContain('🔎 `api.team-a` from namespace `team-a` was answered by `api.team-a.svc.cluster.local.` after 1 wasted query.');
    expect(all).toContain('❌ 1. `api.team-a.team-a.svc.cluster.local.` *NXDOMAIN* · 1.2 ms');
    expect(all).toContain('✅ 2. `api.team-a.svc.cluster.local.` *NOERROR* → `10.96.12.7` · 0.8 ms ← answered');
    expect(all).toContain(`💡 ${lookup.hint}`);
    expect(all).toContain('`10.96.0.10:53`');
    expect(m.text).toMatch(/^api\.team-a \(from team-a\): answered by api\.team-a\.svc\.cluster\.local\., 1 wasted of 2 queries\. 1 query before/);
  });

  it('says so when nothing answered', () => {
    const m = renderQueryResult({
      kind: 'dns-lookup', namespace: 'team-a', name: 'nope',
      lookup: readDnsLookup({ queries: [{ name: 'nope.team-a.svc.cluster.local.', rcode: 'NXDOMAIN', answers: [], ms: 2 }, { name: 'nope.', rcode: 'TIMEOUT', answers: [], ms: 5000 }], wasted: 2, hint: 'no such name' }),
    });
    expect(visible(m)).toContain('❌ `nope` from namespace `team-a` did not resolve: 2 queries, no answer.');
    expect(visible(m)).toContain('*TIMEOUT*');
    expect(m.text).toBe('nope (from team-a): no answer after 2 queries. no such name');
  });

  it('cuts a long search list with "… and N more"', () => {
    const queries = Array.from({ length: 30 }, (_, i) => ({ name: `q${i}.example.`, rcode: 'NXDOMAIN', answers: [], ms: 1 }));
    const m = renderQueryResult({ kind: 'dns-lookup', namespace: 'a', name: 'q', lookup: readDnsLookup({ queries, wasted: 30 }) });
    expect(visible(m)).toContain('… and 18 more queries');
    expect(slackLimitViolations(m)).toEqual([]);
  });
});

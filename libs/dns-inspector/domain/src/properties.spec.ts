// Properties of the rules that are algebraic: limits always hold, a comparison of a record
// set with itself finds nothing, the Corefile linter takes any text without throwing.
import fc from 'fast-check';
import { lintCorefile } from './corefile.linter';
import { compareRecords } from './records.compare';
import { buildResolvConf } from './resolv-conf.builder';
import { MAX_NAMESERVERS, MAX_SEARCH_LINE_CHARS, MAX_SEARCH_PATHS } from './resolv-conf.limits';
import { valueOf } from '@bosun/testing';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));

describe('buildResolvConf: the kubelet limits always hold', () => {
  it('at most 3 nameservers, 32 searches, 2048 characters, no duplicates; ClusterFirst searches start with the cluster', () => {
    fc.assert(
      fc.property(
        fc.array(ipv4, { maxLength: 3 }), fc.array(domain, { maxLength: 32 }), fc.array(ipv4, { maxLength: 5 }), fc.array(domain, { maxLength: 40 }),
        (nameservers, searches, nodeServers, nodeSearches) => {
          const conf = valueOf(buildResolvConf({ namespace: 'app', clusterDNS: ['10.96.0.10'], dnsConfig: { nameservers, searches }, node: { nameservers: nodeServers, searches: nodeSearches } }));
          expect(conf.nameservers.length).toBeLessThanOrEqual(MAX_NAMESERVERS);
          expect(conf.searches.length).toBeLessThanOrEqual(MAX_SEARCH_PATHS);
          expect(conf.searches.join(' ').length).toBeLessThanOrEqual(MAX_SEARCH_LINE_CHARS);
          expect(new Set(conf.searches).size).toBe(conf.searches.length);
          expect(conf.nameservers[0]).toBe('10.96.0.10');
          expect(conf.searches.slice(0, 3)).toEqual(['app.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
        },
      ),
    );
  });
});

describe('compareRecords', () => {
  const record = fc.record({ name: domain, type: fc.constantFrom('A' as const, 'AAAA' as const, 'CNAME' as const, 'PTR' as const), values: fc.array(ipv4, { minLength: 1, maxLength: 4 }) });
  const records = fc.uniqueArray(record, { selector: (r) => `${r.name} ${r.type}`, maxLength: 8 });

  it('finds nothing between a record set and itself, in any order and case', () => {
    fc.assert(fc.property(records, (rs) => {
      const shuffled = [...rs].reverse().map((r) => ({ ...r, name: `${r.name.toUpperCase()}.`, values: [...r.values].reverse() }));
      expect(compareRecords(rs, shuffled)).toEqual([]);
    }));
  });

  it('against nothing, every expected record with values is missing', () => {
    fc.assert(fc.property(records, (rs) => expect(compareRecords(rs, []).map((m) => m.kind)).toEqual(rs.map(() => 'missing'))));
  });
});

describe('lintCorefile takes any text', () => {
  const corefileish = fc.array(fc.constantFrom('.:53', '{', '}', 'errors', 'kubernetes cluster.local', 'forward . /etc/resolv.conf', 'ttl 99999', '"x', '# c', 'cache 0', ''), { maxLength: 30 }).map((ls) => ls.join('\n'));

  it('returns findings with lines inside the file, or the empty-Corefile field error', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), corefileish), (text) => {
      const result = lintCorefile(text);
      const lines = text.split(/\r?\n/).length;
      if (result.ok) expect(result.value.every((f) => f.line === undefined || (f.line >= 1 && f.line <= lines))).toBe(true);
      else expect(result.errors).toEqual([expect.objectContaining({ path: 'corefile' })]);
    }));
  });
});

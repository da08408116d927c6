import type { BosunConfig } from '@bosun/config';
import type { ClusterRegistry } from '@bosun/kube';
import { ClusterDnsLocator } from './cluster-dns.locator';
import { mapBounded } from './bounded';
import { parseServer, rcodeOf, serverText } from './dns.client';

describe('the DNS client port', () => {
  it.each([
    ['ENOTFOUND', 'NXDOMAIN'], ['ENODATA', 'NOERROR'], ['ESERVFAIL', 'SERVFAIL'], ['ETIMEOUT', 'TIMEOUT'], ['EREFUSED', 'REFUSED'], ['ECONNREFUSED', 'TIMEOUT'], ['EWEIRD', 'EWEIRD'],
  ])('c-ares %s → rcode %s', (code, rcode) => expect(rcodeOf(code)).toBe(rcode));

  it('parses host:port, [v6]:port, and prints them back', () => {
    expect(parseServer('127.0.0.1:1053')).toEqual({ host: '127.0.0.1', port: 1053 });
    expect(parseServer('[fd00::10]:53')).toEqual({ host: 'fd00::10', port: 53 });
    expect(serverText({ host: 'fd00::10', port: 53 })).toBe('[fd00::10]:53');
    expect(() => parseServer('nope')).toThrow(/host:port/);
  });
});

describe('ClusterDnsLocator', () => {
  const registry = { defaultName: 'default' } as ClusterRegistry;
  const kubeDns = { spec: { clusterIP: '10.96.0.10' } };
  it('BOSUN_CLUSTER_DNS for the default cluster; the kube-dns IP:53 elsewhere; nothing to ask is Unreachable', () => {
    const configured = new ClusterDnsLocator({ clusterDns: '127.0.0.1:1053' } as BosunConfig, registry);
    expect(configured.locate('default', kubeDns)).toEqual({ server: { host: '127.0.0.1', port: 1053 }, address: '127.0.0.1:1053', source: 'BOSUN_CLUSTER_DNS', nameserver: '10.96.0.10' });
    expect(configured.locate('edge', kubeDns)).toMatchObject({ address: '10.96.0.10:53', source: 'kube-dns' });
    expect(() => new ClusterDnsLocator({} as BosunConfig, registry).locate('default', null)).toThrow(expect.objectContaining({ code: 'Unreachable' }));
  });
});

describe('mapBounded', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});

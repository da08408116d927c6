import { buildResolvConf, type ResolvConfInput } from './resolv-conf.builder';
import { ndotsOf, parseResolvConf, renderResolvConf } from './resolv-conf.parser';
import { errorsOf, valueOf } from '@bosun/testing';

// 000:4893-4895: a GCE node's resolv.conf; the pod keeps its searches after the cluster's.
const node = { nameservers: ['169.254.169.254'], searches: ['google.internal', 'c.gce_project_id.internal'], options: ['timeout:2'] };
const cluster = (extra: Partial<ResolvConfInput> = {}): ResolvConfInput => ({ namespace: 'default', node, clusterDNS: ['10.0.0.10'], ...extra });
const build = (input: ResolvConfInput) => valueOf(buildResolvConf(input));

describe('buildResolvConf: each dnsPolicy (000:4629-4638)', () => {
  it('ClusterFirst (the default): cluster DNS, namespace searches first, the node searches after, ndots:5 (000:4893-4895)', () => {
    expect(build(cluster())).toEqual({
      nameservers: ['10.0.0.10'],
      searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'google.internal', 'c.gce_project_id.internal'],
      options: ['ndots:5'],
      warnings: [],
    });
  });

  it('follows the namespace and cluster domain (004:2209-2212)', () => {
    const conf = build({ namespace: 'shop', clusterDNS: ['20.1.0.10'], clusterDomain: 'corp.internal', node: { searches: [], nameservers: [], options: [] } });
    expect(conf).toMatchObject({ nameservers: ['20.1.0.10'], searches: ['shop.svc.corp.internal', 'svc.corp.internal', 'corp.internal'], options: ['ndots:5'] });
  });

  it('drops node searches that repeat the cluster ones', () => {
    expect(build(cluster({ node: { ...node, searches: ['cluster.local', 'example.com.'] } })).searches)
      .toEqual(['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'example.com']);
  });

  it('ClusterFirstWithHostNet gives a hostNetwork pod the cluster DNS', () => {
    expect(build(cluster({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true })).nameservers).toEqual(['10.0.0.10']);
  });

  it('ClusterFirst on hostNetwork falls back to Default, with a warning', () => {
    const conf = build(cluster({ hostNetwork: true }));
    expect(conf).toMatchObject({ nameservers: ['169.254.169.254'], searches: node.searches, options: ['timeout:2'] });
    expect(conf.warnings).toEqual([expect.stringContaining('use ClusterFirstWithHostNet')]);
  });

  it('Default inherits the node (000:4625-4628)', () => {
    expect(build(cluster({ dnsPolicy: 'Default' }))).toEqual({ ...node, warnings: [] });
  });

  it('Default without the node resolv.conf says it is unknown', () => {
    expect(build({ namespace: 'default', dnsPolicy: 'Default' }).warnings).toEqual([expect.stringContaining("node's resolv.conf was not given")]);
  });

  it('None uses dnsConfig alone', () => {
    const dnsConfig = { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
    expect(build(cluster({ dnsPolicy: 'None', dnsConfig }))).toEqual({
      nameservers: ['1.2.3.4'], searches: dnsConfig.searches, options: ['ndots:2', 'edns0'], warnings: [],
    });
  });

  it('without a cluster DNS IP the kubelet falls back to Default, with its event text', () => {
    const conf = build(cluster({ clusterDNS: [] }));
    expect(conf.nameservers).toEqual(['169.254.169.254']);
    expect(conf.warnings[0]).toMatch(/kubelet does not have ClusterDNS IP configured/);
  });
});

describe('buildResolvConf: dnsConfig is merged', () => {
  it('appends nameservers and searches, without duplicates', () => {
    const conf = build(cluster({ dnsConfig: { nameservers: ['10.0.0.10', '8.8.8.8'], searches: ['svc.cluster.local', 'corp.example'] } }));
    expect(conf.nameservers).toEqual(['10.0.0.10', '8.8.8.8']);
    expect(conf.searches.slice(-1)).toEqual(['corp.example']);
    expect(conf.searches.filter((s) => s === 'svc.cluster.local')).toHaveLength(1);
  });

  it('replaces an option of the same name in place and appends new ones (ndots:2 is the usual fix)', () => {
    const conf = build(cluster({ dnsConfig: { options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }] } }));
    expect(conf.options).toEqual(['ndots:2', 'single-request-reopen']);
  });

  it('ClusterFirst does not carry the node options over', () => {
    expect(build(cluster()).options).toEqual(['ndots:5']);
  });
});

describe('buildResolvConf: the kubelet limits (000:5007-5030, dns.go)', () => {
  it('keeps 3 nameservers and drops the rest with a warning', () => {
    const conf = build(cluster({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } }));
    expect(conf.nameservers).toEqual(['10.0.0.10', '1.1.1.1', '8.8.8.8']);
    expect(conf.warnings).toEqual([expect.stringMatching(/^Nameserver limits were exceeded.*applied nameserver line is: 10.0.0.10 1.1.1.1 8.8.8.8 \(dropped: 9.9.9.9\)/)]);
  });

  it('keeps 32 search paths', () => {
    const searches = Array.from({ length: 32 }, (_, i) => `s${i}.example`);
    const conf = build(cluster({ node: { ...node, searches: [] }, dnsConfig: { searches } }));
    expect(conf.searches).toHaveLength(32);
    expect(conf.searches.at(-1)).toBe('s28.example');
    expect(conf.warnings[0]).toMatch(/^Search Line limits were exceeded/);
  });

  it('cuts search domains from the end to fit 2048 characters', () => {
    const long = (i: number) => `${String(i).padStart(2, '0')}${'x'.repeat(61)}.${'y'.repeat(63)}.${'z'.repeat(63)}.example`;
    const searches = Array.from({ length: 12 }, (_, i) => long(i));
    const conf = build(cluster({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.10'], searches: searches.slice(0, 8) }, node: { searches: searches.slice(8), nameservers: [], options: [] } }));
    expect(conf.searches.join(' ').length).toBeLessThanOrEqual(2048);
    const many = build(cluster({ dnsConfig: { searches: searches.slice(0, 10) } }));
    expect(many.searches.join(' ').length).toBeLessThanOrEqual(2048);
    expect(many.searches.length).toBeLessThan(3 + 2 + 10);
    expect(many.warnings[0]).toMatch(/^Search Line limits were exceeded/);
  });

  it('drops a node search path over 253 characters', () => {
    const tooLong = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.e`;
    const conf = build(cluster({ node: { ...node, searches: [tooLong, 'ok.example'] } }));
    expect(conf.searches).not.toContain(tooLong);
    expect(conf.searches).toContain('ok.example');
    expect(conf.warnings[0]).toMatch(/some search paths have been omitted/);
  });

  it('warns beyond 6 search domains for glibc before 2.17-222 (000:5007-5030)', () => {
    const conf = build(cluster({ dnsConfig: { searches: ['a.example', 'b.example'] } }));
    expect(conf.searches).toHaveLength(7);
    expect(conf.warnings).toEqual([expect.stringContaining('glibc before 2.17-222 uses only the first 6')]);
    expect(build(cluster()).warnings).toEqual([]);
  });
});

describe('buildResolvConf: bad input is field errors', () => {
  it.each([
    ['an unknown dnsPolicy', cluster({ dnsPolicy: 'ClusterFirts' }), 'dnsPolicy', /Unsupported value: "ClusterFirts": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"/],
    ['None without dnsConfig', cluster({ dnsPolicy: 'None' }), 'dnsConfig', /must provide `dnsConfig` when `dnsPolicy` is None/],
    ['None without nameservers', cluster({ dnsPolicy: 'None', dnsConfig: { searches: ['a.example'] } }), 'dnsConfig.nameservers', /at least one DNS nameserver/],
    ['4 dnsConfig nameservers', cluster({ dnsConfig: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] } }), 'dnsConfig.nameservers', /not have more than 3 nameservers/],
    ['a nameserver that is no IP', cluster({ dnsConfig: { nameservers: ['dns.example'] } }), 'dnsConfig.nameservers.0', /valid IP address/],
    ['33 dnsConfig searches', cluster({ dnsConfig: { searches: Array.from({ length: 33 }, (_, i) => `s${i}.example`) } }), 'dnsConfig.searches', /not have more than 32 search paths/],
    ['a search with upper case', cluster({ dnsConfig: { searches: ['Corp.Example'] } }), 'dnsConfig.searches.0', /DNS-1123 subdomain/],
    ['a search label over 63', cluster({ dnsConfig: { searches: [`${'q'.repeat(64)}.example`] } }), 'dnsConfig.searches.0', /63 characters/],
    ['an option without a name', cluster({ dnsConfig: { options: [{ name: '' }] } }), 'dnsConfig.options.0.name', /Required value/],
    ['a bad namespace', cluster({ namespace: 'Shop' }), 'namespace', /DNS-1123 label/],
    ['a bad cluster DNS', cluster({ clusterDNS: ['10.0.0.300'] }), 'clusterDNS.0', /valid IP address/],
    ['a bad cluster domain', cluster({ clusterDomain: 'cluster..local' }), 'clusterDomain', /empty/],
  ])('%s', (_what, input, path, message) => {
    expect(errorsOf(buildResolvConf(input))).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
  });
});

describe('resolv.conf text', () => {
  const text = '# generated\nnameserver 10.0.0.10\nnameserver 10.0.0.11\nsearch old.example\nsearch default.svc.cluster.local. svc.cluster.local cluster.local\noptions ndots:5\n';

  it('parses like the kubelet: nameservers accumulate, the last search and options win', () => {
    expect(parseResolvConf(text)).toEqual({ nameservers: ['10.0.0.10', '10.0.0.11'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
  });

  it('renders what `cat /etc/resolv.conf` shows (004:2209-2212)', () => {
    expect(renderResolvConf(build({ namespace: 'default', clusterDNS: ['20.1.0.10'], node: {} })))
      .toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 20.1.0.10\noptions ndots:5\n');
  });

  it.each([
    [['ndots:5'], 5], [[], 1], [['ndots:2', 'ndots:3'], 3], [['ndots:30'], 15], [['ndots:x'], 1], [['timeout:2'], 1],
  ])('ndots of %j is %i', (options, expected) => expect(ndotsOf(options)).toBe(expected));
});

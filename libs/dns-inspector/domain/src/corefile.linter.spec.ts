import { KUBEADM_COREFILE, SEED_DEFAULT_COREFILE, SEED_FEDERATION_COREFILE, SEED_LOG_COREFILE, SEED_PROXY_COREFILE, SEED_STUB_COREFILE } from './corefile.fixtures';
import { lintCorefile } from './corefile.linter';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorsOf, valueOf } from '@bosun/testing';

const lint = (text: string, clusterDomain?: string) => valueOf(lintCorefile(text, { clusterDomain }));
const ids = (text: string) => lint(text).map((f) => `${f.severity} ${f.rule}${f.line === undefined ? '' : `@${f.line}`}`);

/** A cluster block: errors, health, ready (lines 2-4), then `lines` from line 5. */
const withPlugins = (lines: string): string => `.:53 {\n  errors\n  health\n  ready\n${lines}\n}\n`;
const KUBERNETES = 'kubernetes cluster.local in-addr.arpa ip6.arpa {\n  pods insecure\n  fallthrough in-addr.arpa ip6.arpa\n}';
const clean = (extra: string): string => withPlugins(`${KUBERNETES}\n  forward . /etc/resolv.conf\n  loop\n${extra}`);

describe('lintCorefile: clean Corefiles', () => {
  it('the kubeadm default of the local CoreDNS v1.14.7 has no findings', () => expect(lint(KUBEADM_COREFILE)).toEqual([]));

  it('the Corefile in tools/testenv/manifests/20-coredns.yaml is that one, and clean', () => {
    const manifest = readFileSync(join(__dirname, '../../../../tools/testenv/manifests/20-coredns.yaml'), 'utf8');
    const block = /Corefile: \|\n((?: {4}.*\n|\s*\n)+)/.exec(manifest)?.[1] ?? '';
    const corefile = block.split('\n').map((l) => l.slice(4)).join('\n').trim().replaceAll('${CLUSTER_DOMAIN}', 'cluster.local');
    expect(corefile.replace(/\s+/g, ' ')).toBe(KUBEADM_COREFILE.trim().replace(/\s+/g, ' '));
    expect(lint(corefile)).toEqual([]);
  });
  it('the seed default (000:4649-4666) has no findings', () => expect(lint(SEED_DEFAULT_COREFILE)).toEqual([]));
  it('our clean fixture is clean', () => expect(lint(clean(''))).toEqual([]));
  it('follows the cluster domain', () => {
    expect(lint(KUBEADM_COREFILE.replaceAll('cluster.local', 'corp.internal'), 'corp.internal')).toEqual([]);
    expect(ids(KUBEADM_COREFILE)).toEqual([]);
    expect(lint(KUBEADM_COREFILE, 'corp.internal').map((f) => f.rule)).toEqual(['cluster-domain-not-served']);
  });
});

describe('lintCorefile: each rule', () => {
  it.each([
    ['unknown plugin, with a near name', clean('  prometeus :9153'), ['error unknown-plugin@11'], /did you mean prometheus/],
    ['proxy from the seed (000:4752-4761)', SEED_PROXY_COREFILE, ['warning missing-health', 'warning missing-ready', 'error cluster-domain-not-served', 'error unknown-plugin@4'], /use `forward \. <upstream…>`/],
    ['a plugin used twice where CoreDNS refuses it', clean('  cache 30\n  cache 60'), ['error duplicate-plugin@12'], /only be used once per Server Block/],
    ['pods with a bad value', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  pods secure\n}\nforward . 1.1.1.1'), ['error kubernetes-pods@6'], /must be one of: disabled, verified, insecure/],
    ['ttl over 3600', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  ttl 7200\n}'), ['error kubernetes-ttl@6'], /ttl must be in range \[0, 3600\]: 7200/],
    ['ttl not a number', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  ttl 5s\n}'), ['error kubernetes-ttl@6'], /5s/],
    ['upstream, retired (000:4963-4967)', SEED_LOG_COREFILE, ['warning missing-ready', 'error kubernetes-unknown-option@7'], /removed in CoreDNS v1\.7\.0/],
    ['an option with the wrong argument count', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  tls cert.pem key.pem\n}'), ['error kubernetes-option-arguments@6'], /wrong argument count/],
    ['fallthrough for every zone', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  fallthrough\n}'), ['warning kubernetes-fallthrough@6'], /fallthrough in-addr\.arpa ip6\.arpa/],
    ['fallthrough for a zone kubernetes does not serve', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  fallthrough example.org\n}'), ['warning kubernetes-fallthrough@6'], /drop it from fallthrough/],
    ['only reverse zones', withPlugins('kubernetes in-addr.arpa {\n}'), ['error cluster-domain-not-served', 'error kubernetes-zones@5'], /cluster\.local in-addr\.arpa ip6\.arpa/],
    ['forward to /etc/resolv.conf without loop', withPlugins(`${KUBERNETES}\n  forward . /etc/resolv.conf`), ['warning forward-loop-risk@9'], /add `loop`.*\/run\/systemd\/resolve\/resolv\.conf/],
    ['forward to the systemd-resolved stub without loop', withPlugins(`${KUBERNETES}\n  forward . 127.0.0.53`), ['error forward-loopback@9'], /real upstream/],
    ['forward to ::1 with loop (a second forward is allowed)', clean('  forward . [::1]:53'), ['warning forward-loopback@11'], /real upstream/],
    ['forward without upstreams', withPlugins(`${KUBERNETES}\n  forward .`), ['error forward-upstreams@9'], /forward \. \/etc\/resolv\.conf/],
    ['autopath without pods verified', clean('  autopath @kubernetes'), ['warning autopath-needs-pods-verified@11'], /pods verified/],
    ['autopath without kubernetes', `example.org {\n errors\n health\n ready\n autopath @kubernetes\n}\n${KUBEADM_COREFILE}`.replace(/\n\.:53/, '\n.:53'), ['error autopath-needs-pods-verified@5'], /add the kubernetes plugin/],
    ['no health', KUBEADM_COREFILE.replace('    health {\n       lameduck 5s\n    }\n', ''), ['warning missing-health'], /lameduck 5s/],
    ['no ready', KUBEADM_COREFILE.replace('    ready\n', ''), ['warning missing-ready'], /add `ready`/],
    ['no errors', KUBEADM_COREFILE.replace('    errors\n', ''), ['warning missing-errors@1'], /add `errors`/],
    ['cache keeps answers past ttl 0', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  ttl 0\n}\ncache 30\nforward . 1.1.1.1'), ['warning cache-outlives-ttl@8'], /success 9984 30 0/],
    ['cache with a minimum TTL over the kubernetes ttl', withPlugins('kubernetes cluster.local in-addr.arpa ip6.arpa {\n  ttl 30\n}\ncache 300 {\n  success 9984 300 60\n}'), ['warning cache-outlives-ttl@8'], /raise the kubernetes ttl to 60/],
    ['a zero cache TTL', clean('  cache 0'), ['error cache-ttl@11'], /zero or negative/],
    ['serve_stale on cluster answers', clean('  cache 30 {\n    serve_stale\n  }'), ['info cache-serve-stale@12'], /./],
    ['kubernetes that does not serve the cluster domain', withPlugins('kubernetes example.org in-addr.arpa ip6.arpa'), ['error cluster-domain-not-served'], /kubernetes cluster\.local in-addr\.arpa ip6\.arpa/],
    ['kubernetes in a block that does not get the cluster domain', `example.org {\n errors\n health\n ready\n kubernetes cluster.local\n}\n`, ['error cluster-domain-not-served'], /.:53 block/],
    ['no reverse zones', withPlugins('kubernetes cluster.local'), ['warning reverse-zones-not-served@5'], /kubernetes cluster\.local in-addr\.arpa ip6\.arpa/],
    ['two blocks on the same zone and port', `${KUBEADM_COREFILE}.:53 {\n  errors\n  whoami\n}\n`, ['error duplicate-server-address@24'], /cannot serve dns:\/\/\.:53 - it is already defined \(line 1\)/],
    ['the stub domain of the seed (000:4720-4724)', SEED_STUB_COREFILE, ['warning missing-ready', 'info stub-domain@18'], /./],
    ['federation and stub domains of the converted kube-dns ConfigMap (000:4763-4787)', SEED_FEDERATION_COREFILE, ['warning missing-ready', 'error unknown-plugin@8', 'info stub-domain@18', 'info stub-domain@23'], /moved out of the default CoreDNS build in v1\.6\.3/],
    ['a syntax error', `${KUBEADM_COREFILE}}\n`, ['error syntax@24'], /cannot parse/],
  ])('%s', (_what, text, expected, fix) => {
    const findings = lint(text);
    expect(findings.map((f) => `${f.severity} ${f.rule}${f.line === undefined ? '' : `@${f.line}`}`)).toEqual(expected);
    // The words people read: the message and the fix of the findings of this case.
    expect(findings.map((f) => `${f.message} ${f.fix ?? ''}`).join('\n')).toMatch(fix);
  });

  it('the view plugin may serve one zone and port from several blocks', () => {
    const views = `${KUBEADM_COREFILE}.:53 {\n  errors\n  view internal {\n    expr incidr(client_ip(), '10.0.0.0/8')\n  }\n  whoami\n}\n`;
    expect(ids(views).filter((id) => id.includes('duplicate-server-address'))).toEqual([]);
  });

  it('messages name the line and rule a CI job can print', () => {
    const [f] = lint(clean('  prometeus :9153'));
    expect(f).toEqual({ severity: 'error', rule: 'unknown-plugin', line: 11, message: "unknown plugin 'prometeus': CoreDNS v1.14.7 does not have it and refuses to start", fix: 'did you mean prometheus?' });
  });

  it('an empty Corefile is a field error', () => {
    expect(errorsOf(lintCorefile('\n# nothing\n'))).toEqual([{ path: 'corefile', message: expect.stringContaining('must not be empty') }]);
  });
});

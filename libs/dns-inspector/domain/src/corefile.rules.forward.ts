import type { CorefileFinding } from '@bosun/contracts';
import type { Directive } from './corefile.parser';
import { isIP, isLoopback } from './ip';
import { finding, named, type BlockRule } from './corefile.lint.context';

// forward (plugin/forward/setup.go): `forward FROM TO…`, at most 15 TOs; a TO is an address
// (`10.0.0.1`, `10.0.0.1:5353`, `[::1]:53`, `tls://1.1.1.1`) or a resolv.conf-style file.
const MAX_UPSTREAMS = 15;

/** The host of a TO, without transport, brackets or port; undefined for a file. */
export const upstreamHost = (to: string): string | undefined => {
  const bare = to.replace(/^[a-z0-9]+:\/\//i, '');
  if (bare.startsWith('/') || (!isIP(bare) && bare.includes('/'))) return undefined;
  const bracketed = /^\[(.+)\](?::\d+)?$/.exec(bare);
  if (bracketed) return bracketed[1];
  if (isIP(bare)) return bare;
  return bare.replace(/:\d+$/, '');
};

const upstreamCount = (f: Directive): CorefileFinding[] => {
  const tos = f.args.slice(1);
  if (tos.length === 0) return [finding('error', 'forward-upstreams', f.line, 'forward: wrong argument count: it needs a FROM zone and at least one TO', 'forward . /etc/resolv.conf')];
  if (tos.length > MAX_UPSTREAMS) return [finding('error', 'forward-upstreams', f.line, `forward: more than ${MAX_UPSTREAMS} TOs configured: ${tos.length}`)];
  return [];
};

const SYSTEMD_FIX = 'on systemd-resolved nodes point the kubelet --resolv-conf at /run/systemd/resolve/resolv.conf (kubeadm does this) (000:4994-5005)';

const loopFindings = (f: Directive, hasLoop: boolean): CorefileFinding[] => {
  const tos = f.args.slice(1);
  const files = tos.filter((to) => upstreamHost(to) === undefined);
  const loopback = tos.filter((to) => {
    const host = upstreamHost(to);
    return host !== undefined && (isLoopback(host) || host === 'localhost');
  });
  const findings: CorefileFinding[] = [];
  if (files.length > 0 && !hasLoop) {
    findings.push(finding('warning', 'forward-loop-risk', f.line,
      `forward to ${files.join(' ')} without the loop plugin: if that file names a local stub resolver (systemd-resolved's 127.0.0.53), queries go round between CoreDNS and itself unnoticed`,
      `add \`loop\` to this block; ${SYSTEMD_FIX}`));
  }
  for (const to of loopback) {
    findings.push(hasLoop
      ? finding('warning', 'forward-loopback', f.line, `forward to ${to}: in a CoreDNS pod that is CoreDNS itself; the loop plugin will detect the loop and stop CoreDNS (CrashLoopBackOff)`, `forward to the real upstream resolver; ${SYSTEMD_FIX}`)
      : finding('error', 'forward-loopback', f.line, `forward to ${to} without the loop plugin: in a CoreDNS pod that is CoreDNS itself, so queries loop until they time out`, `forward to the real upstream resolver and add \`loop\`; ${SYSTEMD_FIX}`));
  }
  return findings;
};

/** Upstream counts and forwarding loops (the seed's systemd-resolved case, 000:4994-5005). */
export const forwardRule: BlockRule = (block) => {
  const hasLoop = named(block, 'loop').length > 0;
  return named(block, 'forward').flatMap((f) => [...upstreamCount(f), ...loopFindings(f, hasLoop)]);
};

import type { CorefileFinding } from '@bosun/contracts';
import { COREDNS_PLUGINS, COREDNS_VERSION, BUILT_IN_DIRECTIVES, editDistance, ONCE_PER_BLOCK, RETIRED_PLUGINS } from './corefile.plugins';
import { parseCorefile, type Corefile, type ServerBlock } from './corefile.parser';
import { finding, named, serves, type BlockRule, type LintContext, type LintOptions } from './corefile.lint.context';
import { autopathRule, kubernetesRule, kubernetesZones } from './corefile.rules.kubernetes';
import { cacheRule } from './corefile.rules.cache';
import { forwardRule, upstreamHost } from './corefile.rules.forward';
import { zoneCovers } from './corefile.keys';
import { ok, type Result } from '@bosun/contracts';
import { DEFAULT_CLUSTER_DOMAIN } from './resolv-conf.builder';

const KNOWN = new Set([...COREDNS_PLUGINS, ...BUILT_IN_DIRECTIVES]);

const suggestion = (name: string): string => {
  const retired = RETIRED_PLUGINS[name];
  if (retired) return retired;
  const near = COREDNS_PLUGINS.filter((p) => editDistance(p, name) <= 2);
  return near.length > 0 ? `did you mean ${near.join(' or ')}?` : `remove it, or build CoreDNS with that plugin (the ${COREDNS_VERSION} build has: ${COREDNS_PLUGINS.join(', ')})`;
};

const unknownPluginRule: BlockRule = (block) =>
  block.directives
    .filter((d) => !KNOWN.has(d.name))
    .map((d) => finding('error', 'unknown-plugin', d.line, `unknown plugin '${d.name}': CoreDNS ${COREDNS_VERSION} does not have it and refuses to start`, suggestion(d.name)));

const duplicatePluginRule: BlockRule = (block) =>
  ONCE_PER_BLOCK.flatMap((name) =>
    named(block, name)
      .slice(1)
      .map((d) => finding('error', 'duplicate-plugin', d.line, `${name}: this plugin can only be used once per Server Block`, `merge the settings into the first ${name} (line ${named(block, name)[0].line})`)));

const errorsRule: BlockRule = (block) =>
  named(block, 'errors').length > 0 ? [] : [finding('warning', 'missing-errors', block.line, `no errors plugin in the block for ${block.keys.map((k) => k.text).join(' ')}: failed queries are not logged`, 'add `errors` as the first line of the block')];

/** Another zone than the root or the cluster's, answered by forwarding: a stub domain (000:4690-4700). */
const stubDomainRule: BlockRule = (block, { clusterDomain }) => {
  const zones = block.keys.map((k) => k.zone);
  if (zones.some((z) => z === '.' || zoneCovers(z, clusterDomain)) || named(block, 'kubernetes').length > 0) return [];
  return named(block, 'forward')
    .filter((f) => f.args.slice(1).every((to) => upstreamHost(to) !== undefined))
    .map((f) => finding('info', 'stub-domain', f.line, `stub domain ${zones.join(' ')}: queries go to ${f.args.slice(1).join(' ')}`));
};

const BLOCK_RULES: BlockRule[] = [unknownPluginRule, duplicatePluginRule, errorsRule, kubernetesRule, autopathRule, cacheRule, forwardRule, stubDomainRule];

const duplicateAddressFindings = (blocks: ServerBlock[]): CorefileFinding[] => {
  const seen = new Map<string, number>();
  const findings: CorefileFinding[] = [];
  for (const block of blocks) {
    // The view plugin exists to serve one zone and port from several blocks.
    if (named(block, 'view').length > 0) continue;
    for (const key of block.keys) {
      const address = `${key.transport}://${key.zone}:${key.port}`;
      const first = seen.get(address);
      if (first === undefined) seen.set(address, key.line);
      else findings.push(finding('error', 'duplicate-server-address', key.line, `cannot serve ${address} - it is already defined (line ${first})`, 'merge the two blocks, or serve one on another port'));
    }
  }
  return findings;
};

const probeFindings = (blocks: ServerBlock[]): CorefileFinding[] => {
  const has = (name: string): boolean => blocks.some((b) => named(b, name).length > 0);
  return [
    ...(has('health') ? [] : [finding('warning', 'missing-health', undefined, 'no health plugin: the CoreDNS livenessProbe (GET :8080/health) fails and the kubelet keeps restarting the pods', 'add `health { lameduck 5s }` to the .:53 block')]),
    ...(has('ready') ? [] : [finding('warning', 'missing-ready', undefined, 'no ready plugin: the readinessProbe (GET :8181/ready) never passes, so the kube-dns Service has no endpoints', 'add `ready` to the .:53 block')]),
  ];
};

const clusterZoneFindings = (blocks: ServerBlock[], clusterDomain: string): CorefileFinding[] => {
  const serving = blocks.flatMap((b) => named(b, 'kubernetes').filter((k) => serves(b, kubernetesZones(k, b), clusterDomain)).map((k) => ({ b, k })));
  if (serving.length === 0) {
    return [finding('error', 'cluster-domain-not-served', undefined, `no kubernetes plugin serves ${clusterDomain}: Service names do not resolve`, `kubernetes ${clusterDomain} in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa } in the .:53 block (000:4652-4660)`)];
  }
  const { b, k } = serving[0];
  const zones = kubernetesZones(k, b);
  const missing = ['in-addr.arpa', 'ip6.arpa'].filter((r) => !zones.some((z) => zoneCovers(z, r) || z.endsWith(r)));
  return missing.length === 0 ? [] : [finding('warning', 'reverse-zones-not-served', k.line, `kubernetes does not serve ${missing.join(' ')}: PTR lookups of Service and pod IPs get no answer from it`, `kubernetes ${[...zones, ...missing].join(' ')} (and fallthrough ${missing.join(' ')})`)];
};

const syntaxFindings = (corefile: Corefile): CorefileFinding[] =>
  corefile.problems.map((p) => finding('error', 'syntax', p.line, p.message, 'CoreDNS refuses a Corefile it cannot parse'));

/** Findings for a parsed Corefile, sorted by line (file-wide findings, without a line, first). */
export const lintParsedCorefile = (corefile: Corefile, options: LintOptions = {}): CorefileFinding[] => {
  const ctx: LintContext = { clusterDomain: options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN };
  const findings = [
    ...syntaxFindings(corefile),
    ...corefile.blocks.flatMap((block) => BLOCK_RULES.flatMap((rule) => rule(block, ctx))),
    ...duplicateAddressFindings(corefile.blocks),
    ...probeFindings(corefile.blocks),
    ...clusterZoneFindings(corefile.blocks, ctx.clusterDomain),
  ];
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
};

/**
 * Lints a Corefile against CoreDNS v1.14.7 (rule ids in README.md): what CoreDNS would
 * refuse (errors), what works but bites (warnings), what is worth knowing (info). An empty
 * Corefile is a field error (`corefile`). The kubeadm default Corefile has no findings.
 */
export const lintCorefile = (text: string, options: LintOptions = {}): Result<CorefileFinding[]> => {
  const parsed = parseCorefile(text);
  return parsed.ok ? ok(lintParsedCorefile(parsed.value, options)) : parsed;
};

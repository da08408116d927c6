import type { CorefileFinding } from '@bosun/contracts';
import type { Directive, ServerBlock } from './corefile.parser';
import { normaliseZone, zoneCovers } from './corefile.keys';
import { finding, named, option, pluginZones, type BlockRule } from './corefile.lint.context';

// The kubernetes plugin's options as CoreDNS v1.14.7 parses them (plugin/kubernetes/setup.go):
// each with the argument counts it accepts.
const OPTIONS: Readonly<Record<string, readonly [number, number]>> = {
  endpoint_pod_names: [0, 0], pods: [1, 1], namespaces: [1, Infinity], endpoint: [1, Infinity], tls: [3, 3],
  labels: [1, Infinity], namespace_labels: [1, Infinity], fallthrough: [0, Infinity], ttl: [1, Infinity],
  noendpoints: [0, 0], zonal: [0, 0], ignore: [1, Infinity], kubeconfig: [1, 2], multicluster: [0, Infinity],
  startup_timeout: [1, Infinity], apiserver_qps: [1, 1], apiserver_burst: [1, 1], apiserver_max_inflight: [1, 1],
};
const POD_MODES = ['disabled', 'verified', 'insecure'];
export const DEFAULT_KUBERNETES_TTL = 5;

const unknownOption = (o: Directive): CorefileFinding =>
  finding('error', 'kubernetes-unknown-option', o.line, `kubernetes: unknown property '${o.name}'; CoreDNS refuses to start`,
    o.name === 'upstream'
      ? 'delete the line: `upstream` was removed in CoreDNS v1.7.0 and external names resolve without it'
      : `use one of: ${Object.keys(OPTIONS).join(', ')}`);

const valueErrors = (o: Directive): CorefileFinding[] => {
  if (o.name === 'pods' && !POD_MODES.includes(o.args[0])) {
    return [finding('error', 'kubernetes-pods', o.line, `wrong value for pods: ${o.args[0]}, must be one of: disabled, verified, insecure`, 'pods insecure (kube-dns compatible), pods verified (needed by autopath) or pods disabled (000:4676-4681)')];
  }
  if (o.name === 'ttl') {
    const ttl = Number(o.args[0]);
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
      return [finding('error', 'kubernetes-ttl', o.line, `ttl must be in range [0, 3600]: ${o.args[0]}`, 'ttl 30 (the kubeadm default); 0 disables caching of the answers, 3600 is the maximum (000:4673-4675)')];
    }
  }
  if (o.name === 'ignore' && o.args[0] !== 'empty_service') {
    return [finding('error', 'kubernetes-option-arguments', o.line, `unable to parse ignore value: '${o.args[0]}'`, 'ignore empty_service')];
  }
  return [];
};

const optionFindings = (o: Directive): CorefileFinding[] => {
  const counts = OPTIONS[o.name];
  if (!counts) return [unknownOption(o)];
  if (o.args.length < counts[0] || o.args.length > counts[1]) {
    return [finding('error', 'kubernetes-option-arguments', o.line, `kubernetes: wrong argument count or unexpected line ending after '${o.name}'`)];
  }
  return valueErrors(o);
};

const fallthroughFindings = (k: Directive, zones: string[]): CorefileFinding[] => {
  const fall = k.block.filter((o) => o.name === 'fallthrough');
  return fall.flatMap((o): CorefileFinding[] => {
    if (o.args.length === 0) {
      return [finding('warning', 'kubernetes-fallthrough', o.line, 'fallthrough without zones passes every name kubernetes cannot answer, cluster names included, to the next plugin (forward sends them upstream)', 'limit it to the reverse zones: fallthrough in-addr.arpa ip6.arpa')];
    }
    return o.args
      .filter((z) => !zones.some((kz) => zoneCovers(kz, z)))
      .map((z) => finding('warning', 'kubernetes-fallthrough', o.line, `fallthrough zone ${z} is not one of the kubernetes zones (${zones.join(' ')}); it never applies`, `serve it (kubernetes ${zones.join(' ')} ${z}) or drop it from fallthrough`));
  });
};

const stanzaFindings = (k: Directive, zones: string[]): CorefileFinding[] => {
  const findings = k.block.flatMap(optionFindings);
  if (zones.every((z) => /(^|\.)(in-addr|ip6)\.arpa$/.test(normaliseZone(z)))) {
    findings.push(finding('error', 'kubernetes-zones', k.line, 'kubernetes: non-reverse zone name must be used', 'kubernetes cluster.local in-addr.arpa ip6.arpa'));
  }
  if (option(k, 'namespaces') && option(k, 'namespace_labels')) {
    findings.push(finding('error', 'kubernetes-option-arguments', k.line, 'kubernetes: namespaces and namespace_labels cannot both be set'));
  }
  if (option(k, 'zonal') && option(k, 'noendpoints')) {
    findings.push(finding('error', 'kubernetes-option-arguments', k.line, 'kubernetes: zonal requires the endpoint cache; remove noendpoints'));
  }
  return [...findings, ...fallthroughFindings(k, zones)];
};

/** `pods`, `ttl`, unknown options, argument counts, zones and `fallthrough` of each kubernetes stanza. */
export const kubernetesRule: BlockRule = (block) => named(block, 'kubernetes').flatMap((k) => stanzaFindings(k, pluginZones(k.args, block)));

/** The kubernetes plugin answers autopath only with `pods verified` (plugin/kubernetes/autopath.go). */
export const autopathRule: BlockRule = (block) =>
  named(block, 'autopath')
    .filter((a) => a.args.at(-1) === '@kubernetes')
    .flatMap((a) => {
      const k = named(block, 'kubernetes')[0];
      if (!k) return [finding('error', 'autopath-needs-pods-verified', a.line, 'autopath @kubernetes, but this block has no kubernetes plugin', 'add the kubernetes plugin with `pods verified`, or remove autopath')];
      if (option(k, 'pods')?.[0] === 'verified') return [];
      return [finding('warning', 'autopath-needs-pods-verified', a.line, `autopath @kubernetes does nothing unless kubernetes has \`pods verified\` (it has pods ${option(k, 'pods')?.[0] ?? 'disabled'})`, 'set `pods verified` in the kubernetes block (line ' + k.line + ')')];
    });

export const kubernetesTtl = (k: Directive): number => {
  const ttl = Number(option(k, 'ttl')?.[0] ?? DEFAULT_KUBERNETES_TTL);
  return Number.isInteger(ttl) ? ttl : DEFAULT_KUBERNETES_TTL;
};

export const kubernetesZones = (k: Directive, block: ServerBlock): string[] => pluginZones(k.args, block);

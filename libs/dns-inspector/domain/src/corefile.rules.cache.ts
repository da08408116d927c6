import type { CorefileFinding } from '@bosun/contracts';
import type { Directive, ServerBlock } from './corefile.parser';
import { zoneCovers } from './corefile.keys';
import { finding, named, option, pluginZones, serves, type BlockRule } from './corefile.lint.context';
import { kubernetesTtl, kubernetesZones } from './corefile.rules.kubernetes';

// The cache keeps a positive answer for min(max(record TTL, min TTL), max TTL) seconds
// (plugin/cache/cache.go computeTTL): the max TTL (`cache 30`, default 3600) only ever
// shortens the kubernetes plugin's `ttl`, so a large one is harmless. What makes cluster
// answers outlive their ttl is the MIN TTL (third `success` argument, default 5): with
// `ttl 0` (or any ttl below it) clients see Services change up to that late. So we warn
// on the effective cached lifetime, not on the max TTL.
const DEFAULT_MAX_TTL = 3600;
const DEFAULT_MIN_TTL = 5;

interface CacheTtls {
  max: number;
  min: number;
  zones: string[];
}

const cacheTtls = (cache: Directive, block: ServerBlock): CacheTtls => {
  const first = Number(cache.args[0]);
  const hasTtl = cache.args.length > 0 && Number.isInteger(first);
  const success = option(cache, 'success') ?? [];
  const max = success[1] !== undefined ? Number(success[1]) : hasTtl ? first : DEFAULT_MAX_TTL;
  const min = success[2] !== undefined ? Number(success[2]) : DEFAULT_MIN_TTL;
  return { max, min, zones: pluginZones(hasTtl ? cache.args.slice(1) : cache.args, block) };
};

/** `disable success cluster.local` (the kubeadm default since 1.28) keeps cluster answers out. */
const successDisabledFor = (cache: Directive, name: string): boolean =>
  cache.block.some((d) => d.name === 'disable' && d.args[0] === 'success' && (d.args.length === 1 || d.args.slice(1).some((z) => zoneCovers(z, name))));

const ttlArgumentFindings = (cache: Directive): CorefileFinding[] => {
  const first = Number(cache.args[0]);
  if (cache.args.length > 0 && Number.isInteger(first) && first <= 0) {
    return [finding('error', 'cache-ttl', cache.line, `cache TTL can not be zero or negative: ${first}`, 'cache 30 (the kubeadm default); to not cache, remove the cache plugin')];
  }
  return [];
};

const staleFinding = (cache: Directive, domain: string): CorefileFinding[] => {
  const stale = cache.block.find((d) => d.name === 'serve_stale');
  return stale ? [finding('info', 'cache-serve-stale', stale.line, `serve_stale: expired ${domain} answers may be served while the kubernetes plugin cannot answer`)] : [];
};

/** Cluster answers kept in the cache longer than the kubernetes ttl (see above), and bad cache TTLs. */
export const cacheRule: BlockRule = (block, { clusterDomain }) =>
  named(block, 'cache').flatMap((cache): CorefileFinding[] => {
    const findings = ttlArgumentFindings(cache);
    const k = named(block, 'kubernetes')[0];
    const ttls = cacheTtls(cache, block);
    const cachesCluster = k && serves(block, kubernetesZones(k, block), clusterDomain) && serves(block, ttls.zones, clusterDomain) && !successDisabledFor(cache, clusterDomain);
    if (!k || !cachesCluster) return findings;
    const ttl = kubernetesTtl(k);
    const kept = Math.min(Math.max(ttl, ttls.min), ttls.max);
    if (kept > ttl) {
      findings.push(finding('warning', 'cache-outlives-ttl', cache.line,
        `the cache keeps ${clusterDomain} answers ${kept}s, longer than the kubernetes ttl ${ttl}s (its minimum TTL is ${ttls.min}s): clients see Service changes up to ${kept}s late`,
        `lower the minimum (success 9984 ${ttls.max} ${ttl}), raise the kubernetes ttl to ${kept}, or keep cluster answers out of the cache (disable success ${clusterDomain})`));
    }
    return [...findings, ...staleFinding(cache, clusterDomain)];
  });

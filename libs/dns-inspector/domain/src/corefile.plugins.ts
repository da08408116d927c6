// The plugins compiled into CoreDNS v1.14.7 (coredns/coredns plugin.cfg at tag v1.14.7, the
// version tools/testenv/versions.env pins), in their execution order.
export const COREDNS_VERSION = 'v1.14.7';

export const COREDNS_PLUGINS: readonly string[] = [
  'root', 'metadata', 'geoip', 'cancel', 'proxyproto', 'quic', 'grpc_server', 'https', 'https3', 'timeouts', 'multisocket',
  'reload', 'nsid', 'bufsize', 'bind', 'debug', 'trace', 'ready', 'health', 'pprof', 'shed', 'prometheus', 'errors', 'log',
  'dnstap', 'local', 'dns64', 'any', 'chaos', 'loadbalance', 'tsig', 'rewrite', 'autopath', 'acl', 'cache', 'header',
  'dnssec', 'tls', 'minimal', 'template', 'transfer', 'hosts', 'route53', 'azure', 'clouddns', 'k8s_external', 'kubernetes',
  'file', 'auto', 'secondary', 'etcd', 'loop', 'forward', 'grpc', 'erratic', 'whoami', 'on', 'sign', 'view', 'nomad',
];

/** Caddyfile built-ins that are not plugins. */
export const BUILT_IN_DIRECTIVES: readonly string[] = ['import'];

/** Plugins whose setup returns plugin.ErrOnce on a second use in one server block. */
export const ONCE_PER_BLOCK: readonly string[] = [
  'cache', 'dnssec', 'errors', 'grpc', 'hosts', 'kubernetes', 'loop', 'prometheus', 'nsid', 'pprof', 'ready', 'shed', 'tsig', 'view',
];

/** Plugins people still copy from old documents, with what to use instead. */
export const RETIRED_PLUGINS: Readonly<Record<string, string>> = {
  proxy: 'proxy left the default CoreDNS build in v1.5.0: use `forward . <upstream…>` with the same upstreams',
  federation: 'federation moved out of the default CoreDNS build in v1.6.3: drop the block or build CoreDNS with github.com/coredns/federation',
  upstream: '`upstream` is not a plugin (it was a kubernetes option, removed in v1.7.0): delete the line',
};

/** Levenshtein distance, for "did you mean" on misspelt plugin names. */
export const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = row;
  }
  return previous[b.length];
};

import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { DnsRecordType } from '@bosun/contracts';

/** Where queries go: the cluster DNS as `host:port` (an IP, or a name resolved once per query). */
export interface DnsServer {
  host: string;
  port: number;
}

/** The answer to one question; `rcode` is the DNS rcode, or TIMEOUT when no server answered. */
export interface DnsAnswer {
  rcode: string;
  answers: string[];
  ms: number;
}

/**
 * The service's only way to ask DNS questions: one fully qualified name and type to one
 * server, no search list (the callers plan the search list the way a pod's resolver does).
 */
export interface DnsClient {
  query(server: DnsServer, name: string, type: DnsRecordType, signal?: AbortSignal): Promise<DnsAnswer>;
}

export const DNS_CLIENT = Symbol('DNS_CLIENT');

/** c-ares error codes → the rcode they stand for (node:dns documents the codes, not the rcodes). */
const RCODES: Record<string, string> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NOERROR',
  ESERVFAIL: 'SERVFAIL',
  ETIMEOUT: 'TIMEOUT',
  // A closed UDP port (ICMP unreachable) is "no server answered" to a pod's resolver too.
  ECONNREFUSED: 'TIMEOUT',
  EREFUSED: 'REFUSED',
  EFORMERR: 'FORMERR',
  ENOTIMP: 'NOTIMP',
  EBADRESP: 'FORMERR',
};

export const rcodeOf = (code: string | undefined): string => RCODES[code ?? ''] ?? code ?? 'UNKNOWN';

type Resolver = InstanceType<typeof dns.Resolver>;

const ask = async (r: Resolver, name: string, type: DnsRecordType): Promise<string[]> => {
  switch (type) {
    case 'A':
      return r.resolve4(name);
    case 'AAAA':
      return r.resolve6(name);
    case 'CNAME':
      return r.resolveCname(name);
    case 'PTR':
      return r.resolvePtr(name);
    case 'SRV':
      // `priority weight port target`, as dig prints it; the domain compares `port target`.
      return (await r.resolveSrv(name)).map((s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`);
  }
};

export interface NodeDnsClientOptions {
  /** Per query, ms (c-ares' first-try timeout). */
  timeoutMs?: number;
  tries?: number;
}

/**
 * node:dns (c-ares) against one server. A fresh Resolver per query: c-ares caches answers
 * per channel (which would hide a changed Service from the next query), and `cancel()`
 * aborts a whole channel, so one per query makes the abort signal exact.
 */
export class NodeDnsClient implements DnsClient {
  constructor(private readonly opts: NodeDnsClientOptions = {}) {}

  async query(server: DnsServer, name: string, type: DnsRecordType, signal?: AbortSignal): Promise<DnsAnswer> {
    signal?.throwIfAborted();
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
    const resolver = new dns.Resolver({ timeout: this.opts.timeoutMs ?? 1500, tries: this.opts.tries ?? 2 });
    const cancel = (): void => resolver.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      resolver.setServers([await addressOf(server)]);
      const answers = await ask(resolver, name, type);
      return { rcode: 'NOERROR', answers, ms: elapsed() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ECANCELLED') throw signal?.reason ?? err;
      return { rcode: rcodeOf(code), answers: [], ms: elapsed() };
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }
}

/** `setServers` takes addresses only: `ip:port`, `[ipv6]:port`; a host name is looked up first. */
const addressOf = async (server: DnsServer): Promise<string> => {
  const ip = isIP(server.host) ? server.host : (await dns.lookup(server.host)).address;
  return isIP(ip) === 6 ? `[${ip}]:${server.port}` : `${ip}:${server.port}`;
};

/** `host:port` (BOSUN_CLUSTER_DNS) → a server; `[v6]:port` too. */
export const parseServer = (text: string): DnsServer => {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`not host:port: ${text}`);
  return { host: match[1], port: Number(match[2]) };
};

export const serverText = (s: DnsServer): string => (isIP(s.host) === 6 ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`);

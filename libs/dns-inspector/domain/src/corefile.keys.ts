// Server block keys: `[transport://]zone[:port]` (core/dnsserver/address.go). A CIDR
// (`10.0.0.0/24`) stands for its reverse zone when it falls on octet boundaries.

export interface ServerKey {
  text: string;
  transport: string;
  /** Lower case, no trailing dot; the root is `.`. */
  zone: string;
  port: number;
  line: number;
}

/** Default listening ports per transport (plugin/pkg/transport). */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { dns: 53, tls: 853, quic: 853, grpc: 443, https: 443, https3: 443 };

const cidrZone = (host: string): string | undefined => {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(8|16|24|32)$/.exec(host);
  if (!match) return undefined;
  const octets = match.slice(1, 5).slice(0, Number(match[5]) / 8);
  return `${octets.reverse().join('.')}.in-addr.arpa`;
};

export const normaliseZone = (zone: string): string => {
  const lower = zone.toLowerCase();
  if (lower === '' || lower === '.') return '.';
  return cidrZone(lower) ?? (lower.endsWith('.') ? lower.slice(0, -1) : lower);
};

export const parseServerKey = (text: string, line: number): ServerKey => {
  const scheme = /^([a-z0-9]+):\/\/(.*)$/i.exec(text);
  const transport = scheme ? scheme[1].toLowerCase() : 'dns';
  const rest = scheme ? scheme[2] : text;
  const hostPort = /^(.*):(\d+)$/.exec(rest);
  const host = hostPort ? hostPort[1] : rest;
  const port = hostPort ? Number(hostPort[2]) : DEFAULT_PORTS[transport] ?? 53;
  return { text, transport, zone: normaliseZone(host), port, line };
};

/** Whether `zone` is `name` or one of its parents (the root covers every name). */
export const zoneCovers = (zone: string, name: string): boolean => {
  const z = normaliseZone(zone);
  const n = normaliseZone(name);
  return z === '.' || n === z || n.endsWith(`.${z}`);
};

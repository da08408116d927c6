// Just enough IP handling for DNS names: recognising addresses, loopback, and the reverse
// (PTR) and dashed (`10-0-0-1`) forms. Node's `net` module would do, but domains stay pure.

const V4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${V4_OCTET}(\\.${V4_OCTET}){3}$`);

export const isIPv4 = (text: string): boolean => IPV4.test(text);

const groupOf = (g: string): number[] => {
  if (isIPv4(g)) {
    const [a, b, c, d] = g.split('.').map(Number);
    return [a * 256 + b, c * 256 + d];
  }
  return /^[0-9a-fA-F]{1,4}$/.test(g) ? [parseInt(g, 16)] : [Number.NaN];
};
const groupsOf = (s: string): number[] => (s === '' ? [] : s.split(':').flatMap(groupOf));

/** The eight 16-bit groups of an IPv6 address (an IPv4 tail counts as two), or undefined. */
export const ipv6Groups = (text: string): number[] | undefined => {
  const halves = text.split('::');
  if (!/^[0-9a-fA-F:.]+$/.test(text) || halves.length > 2) return undefined;
  const left = groupsOf(halves[0]);
  const right = halves.length === 2 ? groupsOf(halves[1]) : [];
  if ([...left, ...right].some(Number.isNaN)) return undefined;
  if (halves.length === 1) return left.length === 8 ? left : undefined;
  const missing = 8 - left.length - right.length;
  return missing >= 1 ? [...left, ...new Array<number>(missing).fill(0), ...right] : undefined;
};

export const isIPv6 = (text: string): boolean => ipv6Groups(text) !== undefined;
export const isIP = (text: string): boolean => isIPv4(text) || isIPv6(text);

/** 127.0.0.0/8 (127.0.0.53 is systemd-resolved's stub) and ::1. */
export const isLoopback = (text: string): boolean => {
  if (isIPv4(text)) return text.startsWith('127.');
  const groups = ipv6Groups(text);
  return groups !== undefined && groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1;
};

/** `d.c.b.a.in-addr.arpa` or the 32-nibble `ip6.arpa` name (Kubernetes DNS spec 2.3.3). */
export const reverseName = (ip: string): string | undefined => {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = ipv6Groups(ip);
  if (!groups) return undefined;
  const nibbles = groups.map((g) => g.toString(16).padStart(4, '0')).join('').split('');
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
};

/** CoreDNS's name for an address: dots (or colons) become dashes; `::` ends in `-0`. */
export const dashed = (ip: string): string => {
  if (ip.includes('.') && !ip.includes(':')) return ip.replaceAll('.', '-');
  const text = ip.replaceAll(':', '-');
  return text.endsWith('-') ? `${text}0` : text;
};

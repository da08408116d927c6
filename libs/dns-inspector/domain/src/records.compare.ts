import type { DnsRecord, RecordMismatch } from '@bosun/contracts';
import { withoutTrailingDot } from './dns-name';

const keyOf = (r: Pick<DnsRecord, 'name' | 'type'>): string => `${withoutTrailingDot(r.name).toLowerCase()} ${r.type}`;

/** Values compare case-insensitively, without trailing dots; SRV `prio weight port target` → `port target`. */
const normalise = (record: DnsRecord): string[] =>
  [...new Set(record.values.map((v) => {
    const fields = v.trim().split(/\s+/).map((f) => withoutTrailingDot(f).toLowerCase());
    return (record.type === 'SRV' && fields.length === 4 ? fields.slice(2) : fields).join(' ');
  }))].sort();

const shown = (values: string[]): string => (values.length === 0 ? 'NXDOMAIN' : values.join(', '));

const differ = (expected: DnsRecord, observed: DnsRecord): RecordMismatch | undefined => {
  const want = normalise(expected);
  const got = normalise(observed);
  if (want.length === got.length && want.every((v, i) => v === got[i])) return undefined;
  const absent = want.filter((v) => !got.includes(v));
  const extra = got.filter((v) => !want.includes(v));
  const parts = [absent.length > 0 ? `missing ${absent.join(', ')}` : '', extra.length > 0 ? `unexpected ${extra.join(', ')}` : ''].filter(Boolean);
  return {
    kind: 'wrong-values', name: expected.name, type: expected.type, expected: want, observed: got,
    message: `${expected.type} ${expected.name}: expected ${shown(want)}, got ${shown(got)}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`,
  };
};

/**
 * Expected records against observed answers: `missing` (expected, not answered),
 * `unexpected` (answered, not expected), `wrong-values` (both, different values). An
 * expected record with no values means NXDOMAIN, so an absent observation matches it.
 */
export const compareRecords = (expected: readonly DnsRecord[], observed: readonly DnsRecord[]): RecordMismatch[] => {
  const seen = new Map(observed.map((o) => [keyOf(o), o]));
  const mismatches: RecordMismatch[] = [];
  for (const want of expected) {
    const got = seen.get(keyOf(want));
    seen.delete(keyOf(want));
    if (got) {
      const mismatch = differ(want, got);
      if (mismatch) mismatches.push(mismatch);
    } else if (want.values.length > 0) {
      mismatches.push({ kind: 'missing', name: want.name, type: want.type, expected: normalise(want), message: `${want.type} ${want.name}: no answer (expected ${shown(normalise(want))})` });
    }
  }
  for (const got of [...seen.values()].filter((o) => o.values.length > 0)) {
    mismatches.push({ kind: 'unexpected', name: got.name, type: got.type, observed: normalise(got), message: `${got.type} ${got.name}: answered ${shown(normalise(got))}, but no such record is expected` });
  }
  return mismatches;
};

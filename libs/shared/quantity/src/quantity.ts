import { QUANTITY_FORMAT } from '@bosun/contracts';
import type { FieldError } from '@bosun/contracts';

/**
 * A Kubernetes resource quantity held exactly: `mantissa × 10^exponent`. Binary suffixes
 * are folded into the mantissa (2^10k is an integer), so comparisons never round —
 * `1Gi` vs `1073741824` must be equal, and `129M` vs `123Mi` must not (000:5897-5898).
 */
export interface Quantity {
  mantissa: bigint;
  exponent: number;
  /** the same value as a float, for display and rough arithmetic only. */
  value: number;
}

export type QuantityResult = { ok: true; value: Quantity } | { ok: false; errors: FieldError[] };

const DECIMAL: Record<string, number> = { m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_EXPONENT = 64;

const of = (mantissa: bigint, exponent: number): Quantity => ({
  mantissa, exponent, value: exponent < 0 ? Number(mantissa) / 10 ** -exponent : Number(mantissa) * 10 ** exponent,
});

/**
 * Parses `100m` (0.1 CPU, 000:6302-6305), `0.5`, `128Mi`, `1G`, `1e3`, `129e6`
 * (000:5897-5898). `path` names the field in the error.
 */
export const parseQuantity = (text: string, path = 'quantity'): QuantityResult => {
  const match = QUANTITY_FORMAT.exec(text);
  if (!match) {
    return { ok: false, errors: [{ path, message: `quantity "${text}" is invalid: use a number with an optional suffix such as 100m, 0.5, 128Mi, 1G or 1e3` }] };
  }
  const [, sign, number, suffix = '', exp] = match;
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt((whole || '0') + fraction);
  let exponent = -fraction.length;
  if (exp !== undefined) exponent += Number(exp);
  else if (suffix in BINARY) mantissa *= 2n ** BigInt(BINARY[suffix]);
  else exponent += DECIMAL[suffix];
  if (sign === '-') mantissa = -mantissa;
  // Bounds scaling cost; real quantities live far inside ±10^±30 (Kubernetes caps at int64 × 10^±9).
  if (Math.abs(exponent) > MAX_EXPONENT) return { ok: false, errors: [{ path, message: `quantity "${text}" is out of range` }] };
  return { ok: true, value: of(mantissa, exponent) };
};

/** Parses a quantity the caller has already validated (a schema with QUANTITY); throws on a bug. */
export const quantity = (text: string): Quantity => {
  const r = parseQuantity(text);
  if (!r.ok) throw new Error(r.errors[0].message);
  return r.value;
};

const scaled = (q: Quantity, exponent: number): bigint => q.mantissa * 10n ** BigInt(q.exponent - exponent);

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, exactly. */
export const compareQuantities = (a: Quantity, b: Quantity): -1 | 0 | 1 => {
  const exponent = Math.min(a.exponent, b.exponent);
  const x = scaled(a, exponent);
  const y = scaled(b, exponent);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Exact sum. */
export const addQuantities = (...qs: Quantity[]): Quantity => {
  if (qs.length === 0) return of(0n, 0);
  const exponent = Math.min(...qs.map((q) => q.exponent));
  return of(qs.reduce((sum, q) => sum + scaled(q, exponent), 0n), exponent);
};

/** Exact difference `a − b`. */
export const subtractQuantities = (a: Quantity, b: Quantity): Quantity => {
  const exponent = Math.min(a.exponent, b.exponent);
  return of(scaled(a, exponent) - scaled(b, exponent), exponent);
};

/** The value × 10^digits rounded up (away from zero for positives), as Kubernetes' `ScaledValue` does. */
const ceilScaled = (q: Quantity, digits: number): bigint => {
  const shift = q.exponent + digits;
  if (shift >= 0) return q.mantissa * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const quotient = q.mantissa / divisor;
  return q.mantissa % divisor > 0n ? quotient + 1n : quotient;
};

/** Kubernetes' `MilliValue()`: thousandths, rounded up (`1.0001m` → 2). CPU usage and requests are compared in these. */
export const milliValue = (q: Quantity): bigint => ceilScaled(q, 3);

/** Kubernetes' `Value()`: whole units, rounded up (`1.5` → 2, `100m` → 1). */
export const wholeValue = (q: Quantity): bigint => ceilScaled(q, 0);

/** A quantity from a count of thousandths (`fromMilli(1500n)` = 1.5). */
export const fromMilli = (milli: bigint): Quantity => of(milli, -3);

/** A quantity from an integer count of units. */
export const fromWhole = (units: bigint): Quantity => of(units, 0);

/**
 * Canonical short form for people: binary suffixes for exact multiples of 1024, decimal
 * suffixes otherwise, `m` for fractions (`1536Mi`, `1500m`, `2G`, `128`). Round-trips through parseQuantity.
 */
export const formatQuantity = (q: Quantity): string => {
  if (q.mantissa === 0n) return '0';
  const sign = q.mantissa < 0n ? '-' : '';
  let mantissa = q.mantissa < 0n ? -q.mantissa : q.mantissa;
  let exponent = q.exponent;
  // 1.5Gi is held as 15·2^30 × 10^-1: drop powers of ten first so whole values take the integer path.
  while (exponent < 0 && mantissa % 10n === 0n) [mantissa, exponent] = [mantissa / 10n, exponent + 1];
  if (exponent >= 0) return sign + formatWhole(mantissa * 10n ** BigInt(exponent));
  if (exponent >= -3) return `${sign}${mantissa * 10n ** BigInt(exponent + 3)}m`;
  // Finer than a thousandth: decimal notation keeps it exact.
  const digits = mantissa.toString().padStart(-exponent + 1, '0');
  const point = digits.length + exponent;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point).replace(/0+$/, '')}`;
};

const BINARY_UNITS = Object.entries(BINARY).reverse().map(([suffix, bits]) => [suffix, 2n ** BigInt(bits)] as const);
const DECIMAL_UNITS = Object.entries(DECIMAL).filter(([s]) => s !== 'm' && s !== '').reverse().map(([suffix, exp]) => [suffix, 10n ** BigInt(exp)] as const);

const formatWhole = (whole: bigint): string => {
  for (const [suffix, unit] of [...BINARY_UNITS, ...DECIMAL_UNITS]) {
    if (whole >= unit && whole % unit === 0n) return `${whole / unit}${suffix}`;
  }
  return `${whole}`;
};

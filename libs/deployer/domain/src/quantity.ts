import { fail, fieldError, ok, type Result } from './result';

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

const FORMAT = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/;
const DECIMAL: Record<string, number> = { m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_EXPONENT = 64;

/**
 * Parses `100m` (0.1 CPU, 000:6302-6305), `0.5`, `128Mi`, `1G`, `1e3`, `129e6`
 * (000:5897-5898). `path` names the field in the error.
 */
export const parseQuantity = (text: string, path = 'quantity'): Result<Quantity> => {
  const match = FORMAT.exec(text.trim());
  if (!match || text.trim() !== text) {
    return fail([fieldError(path, `quantity "${text}" is invalid: use a number with an optional suffix such as 100m, 0.5, 128Mi, 1G or 1e3`)]);
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
  if (Math.abs(exponent) > MAX_EXPONENT) return fail([fieldError(path, `quantity "${text}" is out of range`)]);
  const value = exponent < 0 ? Number(mantissa) / 10 ** -exponent : Number(mantissa) * 10 ** exponent;
  return ok({ mantissa, exponent, value });
};

const scaled = (q: Quantity, exponent: number): bigint => q.mantissa * 10n ** BigInt(q.exponent - exponent);

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, exactly. */
export const compareQuantities = (a: Quantity, b: Quantity): -1 | 0 | 1 => {
  const exponent = Math.min(a.exponent, b.exponent);
  const x = scaled(a, exponent);
  const y = scaled(b, exponent);
  return x < y ? -1 : x > y ? 1 : 0;
};

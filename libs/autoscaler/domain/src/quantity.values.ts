import { fromMilli, formatQuantity, milliValue, parseQuantity } from '@bosun/quantity';
import type { FieldError } from '@bosun/contracts';
import type { Instant, QuantityValue } from './hpa.types';

// Upstream computes in milli-values (`Quantity.MilliValue()`, rounded up) held in int64 and
// divides in float64; JS numbers hold those integers exactly up to 2^53. Parsing goes through
// @bosun/quantity; the results of strings are memoised because the same targets and sample
// texts recur on every evaluation and the recommendation must cost microseconds.

const MEMO_LIMIT = 4096;
const memo = new Map<string, number>();
const INVALID = Number.NaN;

const parseMilli = (text: string): number => {
  const parsed = parseQuantity(text);
  return parsed.ok ? Number(milliValue(parsed.value)) : INVALID;
};

/** The milli-value of a quantity (`"100m"` → 100, `2` → 2000, `"1Ki"` → 1024000), or NaN when malformed. */
export const milliOf = (value: QuantityValue): number => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return INVALID;
    if (Number.isInteger(value) && Math.abs(value) < 9e12) return value * 1000;
    return milliOfText(String(value));
  }
  return milliOfText(value);
};

const milliOfText = (text: string): number => {
  const known = memo.get(text);
  if (known !== undefined) return known;
  const milli = parseMilli(text);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, milli);
  return milli;
};

/** Field errors for a quantity that does not parse, in @bosun/quantity's words. */
export const quantityErrors = (value: QuantityValue, path: string): FieldError[] => {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [{ path, message: `quantity ${value} is invalid: must be a finite number` }];
  const parsed = parseQuantity(value, path);
  return parsed.ok ? [] : parsed.errors;
};

/** A milli-value for people: `66m`, `2`, `1500m`, `500Mi` (formatQuantity's canonical form). */
export const formatMilli = (milli: number): string => {
  if (!Number.isFinite(milli)) return String(milli);
  if (Number.isInteger(milli / 1000) && Math.abs(milli) < 1e6) return String(milli / 1000);
  return formatQuantity(fromMilli(BigInt(Math.round(milli))));
};

const times = new Map<string, number>();

/** Epoch milliseconds of an ISO time or a number; NaN when it does not parse (memoised: history times recur every evaluation). */
export const epochMs = (at: Instant): number => {
  if (typeof at === 'number') return at;
  const known = times.get(at);
  if (known !== undefined) return known;
  const ms = Date.parse(at);
  if (times.size >= MEMO_LIMIT) times.clear();
  times.set(at, ms);
  return ms;
};

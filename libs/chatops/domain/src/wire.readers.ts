// Lenient readers of JSON answers: chat shows what it can of a shape that grew fields or
// lost some, instead of failing the whole message (the API may add fields at any time).

export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
};
export const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
};
export const strs = (v: unknown): string[] => arr(v).map(str).filter((s): s is string => s !== undefined);
/** A list answer: a bare array, or `{items: [...]}` as the API's list endpoints answer. */
export const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : arr(obj(v).items));
/** A `{key: value}` map of strings (allocatable, quota). */
export const strMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, str(x)]).filter((e): e is [string, string] => e[1] !== undefined));

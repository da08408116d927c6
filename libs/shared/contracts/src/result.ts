import type { FieldError } from './common';

/** An expected failure is a value: the caller maps `errors` to 422 (or chat words) at the edge. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(errors: FieldError[]): Result<T> => ({ ok: false, errors });
export const fieldError = (path: string, message: string): FieldError => ({ path, message });

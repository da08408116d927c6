// Spec helpers for Result values: fail loudly instead of narrowing with an early return.
import type { FieldError, Result } from '@bosun/contracts';

export const valueOf = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`expected ok, got errors: ${JSON.stringify(result.errors)}`);
  return result.value;
};

export const errorsOf = <T>(result: Result<T>): FieldError[] => {
  if (result.ok) throw new Error(`expected errors, got ok: ${JSON.stringify(result.value)}`);
  return result.errors;
};

import type { FieldError } from '@bosun/contracts';
import { absolute, dnsNameErrors, dotsIn, MAX_NAME_LENGTH, withoutTrailingDot } from './dns-name';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

/** glibc caps `ndots` at 15 (RES_MAXNDOTS) and so do we, silently, as it does. */
export const MAX_NDOTS = 15;
/** What a resolv.conf without `options ndots:N` means (resolv.conf(5)). */
export const DEFAULT_NDOTS = 1;

export interface QueryPlanInput {
  name: string;
  searches: readonly string[];
  ndots: number;
}

export interface QueryPlan {
  /** Fully qualified (trailing dot), in the order the resolver sends them. */
  queries: string[];
  /** Whether the name was tried as is before the search list (≥ ndots dots, or absolute). */
  asIsFirst: boolean;
}

const inputErrors = (input: QueryPlanInput): FieldError[] => {
  const errors = dnsNameErrors(input.name, 'name');
  input.searches.forEach((s, i) => errors.push(...dnsNameErrors(s, `searches.${i}`)));
  if (!Number.isInteger(input.ndots) || input.ndots < 0) errors.push(fieldError('ndots', 'must be an integer, 0 or more'));
  return errors;
};

const isRoot = (search: string): boolean => search === '.' || search === '';

/** A suffixed candidate the resolver would refuse to build (over 253 characters) is not sent. */
const fits = (fqdn: string): boolean => withoutTrailingDot(fqdn).length <= MAX_NAME_LENGTH;

/**
 * The queries a glibc stub resolver sends for `name` (004:2209-2222, resolv.conf(5)):
 * - a trailing dot makes the name absolute: one query, the search list is not used;
 * - fewer than `ndots` dots: each search suffix in order, then the name as is;
 * - `ndots` dots or more: the name as is first, then each search suffix.
 * A `.` in the search list is the name as is at that place (glibc's root_on_list); it is
 * not sent twice. musl (Alpine) differs: with ≥ ndots dots it never tries the suffixes.
 */
export const planQueries = (input: QueryPlanInput): Result<QueryPlan> => {
  const errors = inputErrors(input);
  if (errors.length > 0) return fail(errors);
  if (input.name.endsWith('.')) return ok({ queries: [absolute(input.name)], asIsFirst: true });

  const ndots = Math.min(input.ndots, MAX_NDOTS);
  const asIs = absolute(input.name);
  const asIsFirst = dotsIn(input.name) >= ndots;
  const rootListed = input.searches.some(isRoot);
  const suffixed = input.searches
    .map((s) => (isRoot(s) ? asIs : absolute(`${input.name}.${withoutTrailingDot(s)}`)))
    .filter(fits);
  if (asIsFirst) return ok({ queries: [asIs, ...suffixed.filter((q) => q !== asIs)], asIsFirst });
  return ok({ queries: rootListed ? suffixed : [...suffixed, asIs], asIsFirst });
};

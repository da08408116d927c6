import type { DnsLookupResult, DnsQueryResult, ResolvConfResult } from '@bosun/contracts';
import { absolute, dotsIn, sameName } from './dns-name';
import { planQueries, type QueryPlan } from './query.plan';
import { buildResolvConf, type ResolvConfInput } from './resolv-conf.builder';
import { ndotsOf } from './resolv-conf.parser';
import { fail, ok, type Result } from '@bosun/contracts';

export interface LookupPlan {
  resolvConf: ResolvConfResult;
  ndots: number;
  plan: QueryPlan;
}

/** The resolv.conf a pod gets and the queries its resolver sends for `name`, in order. */
export const planLookup = (input: ResolvConfInput & { name: string }): Result<LookupPlan> => {
  const conf = buildResolvConf(input);
  if (!conf.ok) return conf;
  const ndots = ndotsOf(conf.value.options);
  const plan = planQueries({ name: input.name, searches: conf.value.searches, ndots });
  return plan.ok ? ok({ resolvConf: conf.value, ndots, plan: plan.value }) : fail(plan.errors);
};

// A resolver stops at the first answer with records; NXDOMAIN, NOERROR without records
// (NODATA) and SERVFAIL move it to the next name of the search list.
const answered = (q: DnsQueryResult): boolean => q.rcode === 'NOERROR' && q.answers.length > 0;

const ISSUE = 'kubernetes/kubernetes#127137';

const amplificationHint = (name: string, winner: string, wasted: number): string | undefined => {
  if (wasted === 0) return undefined;
  if (sameName(winner, name)) {
    const dots = dotsIn(name);
    const lower = dots >= 1 ? ` or set dnsConfig options ndots:${Math.min(dots, 2)} so names with ${dots} dot${dots === 1 ? '' : 's'} go out as they are first` : '';
    return `${wasted} quer${wasted === 1 ? 'y' : 'ies'} went to the search list before ${absolute(name)} answered: write the name with a trailing dot (${absolute(name)})${lower} (ndots:5 amplification, ${ISSUE})`;
  }
  return `${wasted} quer${wasted === 1 ? 'y' : 'ies'} before ${winner} answered: ask for ${absolute(winner)} (with the trailing dot) to send one query`;
};

const noAnswerHint = (queries: readonly DnsQueryResult[]): string =>
  queries.length > 0 && queries.every((q) => q.rcode === 'TIMEOUT')
    ? 'no DNS server answered any query (TIMEOUT): run the checklist (POST /v1/dns/checks) for the DNS pods, the kube-dns Service and its endpoints'
    : `none of the ${queries.length} queries had an answer: check the name and its namespace (unqualified names only resolve in the pod's own namespace, 000:4987-4992)`;

/**
 * Explains a lookup: which query answered, how many were wasted before it (all of them
 * when none answered), and, when ndots:5 cost queries, the fix — a trailing dot or a
 * lower `ndots` in dnsConfig.
 */
export const explainLookup = (name: string, queries: readonly DnsQueryResult[]): DnsLookupResult => {
  const index = queries.findIndex(answered);
  if (index === -1) return { queries: [...queries], wasted: queries.length, hint: noAnswerHint(queries) };
  const answeredBy = queries[index].name;
  const hint = amplificationHint(name, answeredBy, index);
  return { queries: [...queries], answeredBy, wasted: index, ...(hint ? { hint } : {}) };
};

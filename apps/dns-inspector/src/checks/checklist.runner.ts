import type { DnsCheck, DnsChecksRequest, DnsChecksResult } from '@bosun/contracts';
import { CHECKLIST, check } from '@bosun/dns-inspector-domain';
import type { ChecklistEvidence } from '@bosun/dns-inspector-domain';
import { classifyFailure } from '@bosun/service-kit';
import type { OperationContext } from '@bosun/service-kit';
import { GATHERS } from './checklist.steps';
import type { StepContext } from './checklist.steps';

/** The namespace whose pods' view of DNS is checked when the request names none. */
export const DEFAULT_NAMESPACE = 'default';

/** A step whose evidence could not be gathered: skipped with the reason, or failed when no DNS server can be asked. */
const ungathered = (judged: DnsCheck, err: unknown): DnsCheck => {
  const { failure } = classifyFailure(err);
  const status = failure.code === 'Unreachable' ? 'fail' : 'skip';
  return check(judged.id, judged.title, status, `could not gather the evidence: ${failure.code}: ${failure.message}`, { error: failure });
};

/**
 * Steps judged on another step's evidence: when that one could not be read, the verdict
 * would be about missing evidence, not about DNS (no kube-dns IP → "wrong nameserver").
 */
const NEEDS: Record<string, string> = { 'resolv-conf': 'dns-service', 'service-endpoints': 'service-names' };

const withExtra = (judged: DnsCheck, extra: Record<string, unknown> | undefined): DnsCheck =>
  extra ? { ...judged, evidence: { ...judged.evidence, ...extra } } : judged;

/**
 * The seven steps in order: gather a step's evidence from the cluster and the cluster
 * DNS, judge it with the domain, report progress, next. A step that cannot be gathered
 * (Forbidden for this subject, no DNS server) is reported as such and the others still
 * run; a transient error (the apiserver away) is thrown so the kit retries the whole
 * checklist — it reads everything again, nothing to resume.
 */
export class ChecklistRunner {
  constructor(private readonly ctx: Omit<StepContext, 'extra'>) {}

  async run(request: DnsChecksRequest, op: Pick<OperationContext, 'progress' | 'throwIfStopped'>): Promise<DnsChecksResult> {
    const namespace = request.namespace ?? DEFAULT_NAMESPACE;
    const evidence: ChecklistEvidence = { namespace, ...(request.service ? { target: { name: request.service, namespace, service: null } } : {}) };
    const ctx: StepContext = { ...this.ctx, extra: {} };
    const checks: DnsCheck[] = [];
    const errors = new Map<string, unknown>();
    for (const [i, judge] of CHECKLIST.entries()) {
      op.throwIfStopped();
      const gathered = await GATHERS[i](evidence, ctx).then(() => undefined, (err: unknown) => err);
      if (gathered !== undefined) op.throwIfStopped();
      if (gathered !== undefined && classifyFailure(gathered).retryable) throw gathered;
      const judged = judge(evidence);
      const error = gathered ?? errors.get(NEEDS[judged.id]);
      if (error !== undefined) errors.set(judged.id, error);
      const result = error === undefined ? withExtra(judged, ctx.extra[judged.id]) : ungathered(judged, error);
      checks.push(result);
      op.progress({ current: i + 1, total: CHECKLIST.length, message: `${result.title}: ${result.status}` });
    }
    return { checks };
  }
}

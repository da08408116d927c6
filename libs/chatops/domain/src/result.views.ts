import { arr, items, num, obj, str, strMap, strs } from './wire.readers';

// The answers of the dns-inspector, storage, provisioner and autoscaler as chat reads them
// (API.md shapes), each with a lenient reader: unknown fields are ignored, missing ones
// become empty, so a grown or partial answer still renders.

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export interface DnsCheckView { id: string; title: string; status: CheckStatus; detail: string; hint?: string }
export interface DnsQueryView { name: string; rcode: string; answers: string[]; ms?: number }
export interface DnsLookupView { queries: DnsQueryView[]; answeredBy?: string; wasted: number; hint?: string; server?: string }
export interface CandidateView { volume: string; matches: boolean; reasons: string[] }
export interface CauseView { code: string; message: string; hint?: string }
export interface ClaimDiagnosisView { phase: string; boundTo?: string; candidates: CandidateView[]; hint?: string; causes: CauseView[] }
export interface ConditionView { type: string; status: string; reason?: string; message?: string }
export interface NodeView {
  name: string; ready: string; cordoned: boolean; roles: string[]; version?: string; taints: string[];
  problems: ConditionView[]; pods?: number; allocatable: Record<string, string>;
}
export interface PodReason { pod: string; reason: string; message?: string }
export interface BlockView { pod: string; disruptionBudget: string; needs?: number; has?: number; message?: string }
export interface DrainPlanView { evict: string[]; skip: PodReason[]; refuse: PodReason[]; blocked: BlockView[] }
export interface DrainResultView { evicted: string[]; blocked: BlockView[]; skipped: PodReason[] }
export interface TargetView { kind: string; namespace: string; name: string }
export interface AutoscalerView {
  id: string; target: TargetView; mode: string; minReplicas?: number; maxReplicas?: number;
  currentReplicas?: number; desiredReplicas?: number; metrics: { name: string; current?: string }[]; conditions: ConditionView[];
}
export interface MetricView { name: string; current?: string; proposal?: number; ignoredPods: string[]; missingPods: string[]; unreadyPods: string[]; error?: string }
export interface DecisionView {
  at: string; currentReplicas?: number; desiredReplicas?: number; recommendation?: number; limitedBy?: string;
  perMetric: MetricView[]; explanation?: string; scaleError?: { code: string; message: string };
}
export interface TenantResultView { name: string; hard: Record<string, string>; warnings: string[] }

const STATUSES: readonly CheckStatus[] = ['pass', 'warn', 'fail', 'skip'];
const s = (v: unknown, fallback = ''): string => str(v) ?? fallback;

export const readDnsChecks = (v: unknown): DnsCheckView[] => arr(obj(v).checks).map((raw, i) => {
  const c = obj(raw);
  const status = STATUSES.find((x) => x === c.status) ?? 'skip';
  return { id: s(c.id, String(i + 1)), title: s(c.title, s(c.id, `step ${i + 1}`)), status, detail: s(c.detail), hint: str(c.hint) };
});

export const readDnsLookup = (v: unknown): DnsLookupView => {
  const o = obj(v);
  const queries = arr(o.queries).map((raw) => {
    const q = obj(raw);
    return { name: s(q.name, '?'), rcode: s(q.rcode, '?'), answers: strs(q.answers), ms: num(q.ms) };
  });
  return { queries, answeredBy: str(o.answeredBy), wasted: num(o.wasted) ?? 0, hint: str(o.hint), server: str(o.server) };
};

const readCause = (raw: unknown): CauseView => {
  const c = obj(raw);
  return { code: s(c.code, 'Cause'), message: s(c.message), hint: str(c.hint) };
};

export const readClaimDiagnosis = (v: unknown): ClaimDiagnosisView => {
  const o = obj(v);
  const candidates = arr(o.candidates).map((raw) => {
    const c = obj(raw);
    return { volume: s(c.volume, '?'), matches: c.matches === true, reasons: strs(c.reasons) };
  });
  return { phase: s(o.phase, 'Unknown'), boundTo: str(o.boundTo), candidates, hint: str(o.hint), causes: arr(o.causes).map(readCause) };
};

const readCondition = (raw: unknown): ConditionView => {
  const c = obj(raw);
  return { type: s(c.type, '?'), status: s(c.status, 'Unknown'), reason: str(c.reason), message: str(c.message) };
};

/** Ready=True is good; any other condition (MemoryPressure, NetworkUnavailable, …) is news when True. */
const nodeProblems = (o: Record<string, unknown>): ConditionView[] => {
  if (Array.isArray(o.problems)) return o.problems.map((p) => ({ ...readCondition(p), status: s(obj(p).status, 'True') }));
  return arr(o.conditions).map(readCondition).filter((c) => c.type !== 'Ready' && c.status === 'True');
};

const readyOf = (o: Record<string, unknown>): string => {
  if (typeof o.ready === 'boolean') return o.ready ? 'True' : 'False';
  if (typeof o.ready === 'string') return o.ready;
  return arr(o.conditions).map(readCondition).find((c) => c.type === 'Ready')?.status ?? 'Unknown';
};

export const readNodes = (v: unknown): NodeView[] => items(v).map((raw) => {
  const o = obj(raw);
  return {
    name: s(o.name, '?'), ready: readyOf(o), cordoned: o.cordoned === true || o.schedulable === false || o.unschedulable === true,
    roles: strs(o.roles), version: str(o.version), taints: arr(o.taints).map(taintText).filter(Boolean),
    problems: nodeProblems(o), pods: num(o.pods), allocatable: strMap(o.allocatable),
  };
});

/** Taints come as `key=value:Effect` strings, or as Kubernetes' objects. */
const taintText = (t: unknown): string => {
  if (typeof t === 'string') return t;
  const o = obj(t);
  const key = s(o.key);
  return key ? `${key}${o.value ? `=${s(o.value)}` : ''}:${s(o.effect, '?')}` : '';
};

const readPodReason = (raw: unknown): PodReason => {
  if (typeof raw === 'string') return { pod: raw, reason: '' };
  const o = obj(raw);
  return { pod: s(o.pod, '?'), reason: s(o.reason), message: str(o.message) };
};

const readBlock = (raw: unknown): BlockView => {
  const o = obj(raw);
  return { pod: s(o.pod, '?'), disruptionBudget: s(o.disruptionBudget, '?'), needs: num(o.needs), has: num(o.has), message: str(o.message) };
};

const podList = (v: unknown): string[] => arr(v).map((p) => (typeof p === 'string' ? p : s(obj(p).pod, '?')));

export const readDrainPlan = (v: unknown): DrainPlanView => {
  const o = obj(v);
  return { evict: podList(o.evict), skip: arr(o.skip).map(readPodReason), refuse: arr(o.refuse).map(readPodReason), blocked: arr(o.blocked).map(readBlock) };
};

export const readDrainResult = (v: unknown): DrainResultView => {
  const o = obj(v);
  return { evicted: podList(o.evicted), blocked: arr(o.blocked).map(readBlock), skipped: arr(o.skipped).map(readPodReason) };
};

const readTarget = (v: unknown): TargetView => {
  const o = obj(v);
  return { kind: s(o.kind, 'Deployment'), namespace: s(o.namespace), name: s(o.name) };
};

export const readAutoscalers = (v: unknown): AutoscalerView[] => items(v).map((raw) => {
  const o = obj(raw);
  return {
    id: s(o.id, '?'), target: readTarget(o.target), mode: s(o.mode, 'managed'), minReplicas: num(o.minReplicas), maxReplicas: num(o.maxReplicas),
    currentReplicas: num(o.currentReplicas), desiredReplicas: num(o.desiredReplicas),
    metrics: arr(o.metrics).map((m) => ({ name: s(obj(m).name, '?'), current: str(obj(m).current) })),
    conditions: Array.isArray(o.conditions)
      ? o.conditions.map(readCondition)
      : Object.entries(obj(o.conditions)).map(([type, c]) => readCondition({ type, ...obj(c) })),
  };
});

const readMetric = (raw: unknown): MetricView => {
  const m = obj(raw);
  return {
    name: s(m.name, '?'), current: str(m.current), proposal: num(m.proposal), error: str(m.error),
    ignoredPods: strs(m.ignoredPods), missingPods: strs(m.missingPods), unreadyPods: strs(m.unreadyPods),
  };
};

export const readDecisions = (v: unknown): DecisionView[] => items(v).map((raw) => {
  const d = obj(raw);
  const err = obj(d.scaleError);
  return {
    at: s(d.at, '?'), currentReplicas: num(d.currentReplicas), desiredReplicas: num(d.desiredReplicas), recommendation: num(d.recommendation),
    limitedBy: str(d.limitedBy), perMetric: arr(d.perMetric).map(readMetric), explanation: str(d.explanation),
    scaleError: str(err.code) ? { code: s(err.code), message: s(err.message) } : undefined,
  };
});

export const readTenantResult = (v: unknown): TenantResultView => {
  const o = obj(v);
  const warnings = arr(o.warnings).map((w) => (typeof w === 'string' ? w : [str(obj(w).path), str(obj(w).message)].filter(Boolean).join(': ')));
  return { name: s(o.name), hard: strMap(obj(o.quota).hard), warnings: warnings.filter(Boolean) };
};

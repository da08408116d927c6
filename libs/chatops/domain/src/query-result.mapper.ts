import type { DeploymentView, Diagnosis, HistoryItem, Operation } from '@bosun/contracts';
import type { QueryRequest } from './chat-request.types';
import type { QueryResult } from './query.renderer';
import {
  readAutoscalers, readClaimDiagnosis, readDecisions, readDnsLookup, readDrainPlan, readNodes, type AutoscalerView,
} from './result.views';
import { obj } from './wire.readers';

/** The autoscaler whose target is `<ns>/<name>` (any kind), from the answer of `GET /v1/autoscalers`. */
export const findAutoscaler = (list: unknown, namespace: string, name: string): AutoscalerView | undefined =>
  readAutoscalers(list).find((a) => a.target.namespace === namespace && a.target.name === name);

/** `why-scale` once both reads are in: the autoscaler found (if any) and its decisions' answer. */
export const whyScaleResult = (req: QueryRequest, autoscaler: AutoscalerView | undefined, decisions: unknown): QueryResult => ({
  kind: 'why-scale', namespace: req.params.namespace ?? '', name: req.params.name ?? '', autoscaler, decisions: readDecisions(decisions),
});

/** The answer of a query's call as the result chat renders; undefined for `why-scale`, which takes two calls. */
export const toQueryResult = (req: QueryRequest, value: unknown): QueryResult | undefined => {
  const { namespace = '', name = '' } = req.params;
  switch (req.capability) {
    case 'deployment.get': return { kind: 'status', deployment: value as DeploymentView };
    case 'deployment.history': return { kind: 'history', namespace, name, items: (obj(value).items as HistoryItem[] | undefined) ?? [] };
    case 'deployment.diagnosis': return { kind: 'diagnosis', namespace, name, diagnosis: value as Diagnosis };
    case 'operation.get': return { kind: 'operation', operation: value as Operation };
    case 'dns.lookup': return { kind: 'dns-lookup', namespace, name, lookup: readDnsLookup(value) };
    case 'storage.claim-diagnosis': return { kind: 'claim-diagnosis', namespace, claim: name, diagnosis: readClaimDiagnosis(value) };
    case 'node.list': return { kind: 'nodes', nodes: readNodes(value) };
    case 'node.drain-plan': return { kind: 'drain-plan', node: req.params.node ?? '', plan: readDrainPlan(value) };
    case 'autoscaler.list': {
      const all = readAutoscalers(value);
      const ns = req.params.namespace;
      return { kind: 'autoscalers', namespace: ns, autoscalers: ns ? all.filter((a) => a.target.namespace === ns) : all };
    }
    default: return undefined;
  }
};

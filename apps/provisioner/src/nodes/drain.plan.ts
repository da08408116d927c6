import type { DrainBlock, DrainPayload, DrainPlan } from '@bosun/contracts';
import type { Identity, KubePort } from '@bosun/kube';
import { parseEvictionRefusal, planDrain, podKey } from '@bosun/provisioner-domain';
import { OperationFailure } from '@bosun/service-kit';
import type { EvictionAttempt } from '../kube/eviction.port';
import { evictionPort } from '../kube/eviction.port';
import { NodeReader } from './node.reader';
import type { PodObject } from './node.reader';

/** A 429's Status, rebuilt for the domain's parser from what the port hands back. */
export const refusalOf = (attempt: EvictionAttempt, pod: PodObject): ReturnType<typeof parseEvictionRefusal> =>
  parseEvictionRefusal({ message: attempt.message ?? '', details: { causes: attempt.causes ?? [] } }, pod.metadata.namespace);

/** A DrainBlock from the apiserver's own refusal; undefined when it names no budget. */
export const blockOf = (attempt: EvictionAttempt, pod: PodObject): DrainBlock | undefined => {
  const refusal = refusalOf(attempt, pod);
  if (refusal.kind === 'DisruptionBudget') return { pod: podKey(pod), disruptionBudget: refusal.disruptionBudget, needs: refusal.needs, has: refusal.has, message: refusal.message };
  if (refusal.kind === 'BudgetPending') return { pod: podKey(pod), disruptionBudget: refusal.disruptionBudget, needs: 0, has: 0, message: refusal.message };
  return undefined;
};

/**
 * The `?dryRun=true` plan: kubectl's filters and the budget arithmetic of the domain, then a
 * server-side dry-run eviction of every pod the plan would evict, so the
 * apiserver's real PodDisruptionBudget check speaks. Dry runs are independent (none spends
 * the budget), so the domain's in-order simulation still names pods that only a sequence blocks.
 * Nothing changes: no cordon, no eviction.
 */
export const drainPlan = async (port: KubePort, p: DrainPayload, as?: Identity): Promise<DrainPlan> => {
  const reader = new NodeReader(port, as);
  if (!(await reader.node(p.name))) throw new OperationFailure('NotFound', `nodes "${p.name}" not found`);
  const pods = await reader.podsOn(p.name);
  const namespaces = [...new Set(pods.map((x) => x.metadata.namespace))];
  const context = await reader.budgetContext(namespaces);
  const plan = planDrain({ pods, ...context, options: { deleteEmptyDirData: p.deleteEmptyDirData, force: p.force }, now: new Date() });
  const server = await serverRefusals(port, pods.filter((x) => plan.evict.includes(podKey(x))), as);
  const refusedByServer = new Set(server.map((b) => b.pod));
  return { ...plan, blocked: [...server, ...plan.blocked.filter((b) => !refusedByServer.has(b.pod))] };
};

const serverRefusals = async (port: KubePort, pods: PodObject[], as?: Identity): Promise<DrainBlock[]> => {
  const evictions = evictionPort(port);
  const answers = await Promise.all(pods.map(async (pod) => ({ pod, attempt: await evictions.evict({ namespace: pod.metadata.namespace, name: pod.metadata.name }, { as, dryRun: true }) })));
  return answers.flatMap(({ pod, attempt }) => (attempt.outcome === 'blocked' ? [blockOf(attempt, pod) ?? unnamed(pod, attempt)] : []));
};

/**
 * A refused eviction whose answer names no budget (a 429 from API priority and fairness, say): the
 * domain's arithmetic over the pod's namespace names the budget and its counts instead.
 */
export const guessBlock = async (reader: NodeReader, pod: PodObject, attempt: EvictionAttempt): Promise<DrainBlock> => {
  const context = await reader.budgetContext([pod.metadata.namespace]);
  const plan = planDrain({ pods: [pod], ...context, now: new Date() });
  return plan.blocked[0] ?? unnamed(pod, attempt);
};

const unnamed = (pod: PodObject, attempt: EvictionAttempt): DrainBlock =>
  ({ pod: podKey(pod), disruptionBudget: '', needs: 0, has: 0, message: attempt.message ?? 'the eviction was refused' });

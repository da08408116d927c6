import type { ManagedMetric } from '@bosun/contracts';
import type { MetricInput, PodSample } from './hpa.types';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

// What the managed loop observed, turned into the algorithm's input. A queue's backlog is
// counted as KEDA counts it (API.md); a missing queue or consumer is a failed metric with the
// reason, never a silent 0.

/** BullMQ job counts (`Queue.getJobCounts()`); the backlog is waiting + prioritized + active. */
export interface BullmqCounts { waiting?: number; prioritized?: number; active?: number }
export const bullmqBacklog = (counts: BullmqCounts): number => (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0);

/** JetStream consumer info; the backlog is num_pending + num_ack_pending. */
export interface JetstreamConsumerInfo { num_pending?: number; num_ack_pending?: number }
export const jetstreamBacklog = (info: JetstreamConsumerInfo): number => (info.num_pending ?? 0) + (info.num_ack_pending ?? 0);

/** An External metric's HTTP answer: a JSON number or `{"value": n}` (n a number or a quantity string). */
export const parseExternalValue = (body: unknown): Result<number | string> => {
  const value = typeof body === 'object' && body !== null && 'value' in body ? (body as { value: unknown }).value : body;
  if (typeof value === 'number' && Number.isFinite(value)) return ok(value);
  if (typeof value === 'string' && value.trim() !== '') return ok(value.trim());
  return fail([fieldError('value', `the metric endpoint must answer a JSON number or {"value": n}, got ${JSON.stringify(body)?.slice(0, 100)}`)]);
};

/** One observation of a managed metric: pod samples (Resource), a value (Queue backlog, External), or why it failed. */
export interface Observation { pods?: PodSample[]; value?: number | string; error?: string }

/** The managed metric and its observation as the HPA algorithm's input (a Queue is an External AverageValue on the backlog). */
export const toMetricInput = (metric: ManagedMetric, observed: Observation): MetricInput => {
  const input: MetricInput = { name: metric.name, type: metric.type, target: metric.target };
  if (metric.resource !== undefined) input.resource = metric.resource;
  if (metric.activation !== undefined) input.activation = metric.activation;
  if (observed.error !== undefined) input.error = observed.error;
  else if (metric.type === 'Resource') input.pods = observed.pods ?? [];
  else if (observed.value !== undefined) input.value = observed.value;
  return input;
};

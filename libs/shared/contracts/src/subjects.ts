import { SERVICES } from './services';
import type { ServiceName } from './services';

/**
 * NATS subjects and BullMQ queue names. Subjects are versioned and never renamed:
 * a breaking payload change gets a new `.vN` subject beside the old one.
 */
export const STREAMS = {
  /** Commands to services: work queue semantics, one consumer group per service. */
  commands: { name: 'BOSUN_CMD', subjects: ['bosun.cmd.>'] },
  /** Operation lifecycle events from services; the gateway folds them into operation state. */
  events: { name: 'BOSUN_EVT', subjects: ['bosun.evt.>'] },
  /** Commands whose handler kept failing; kept for inspection, the operation is failed. */
  deadLetters: { name: 'BOSUN_DLQ', subjects: ['bosun.dlq.>'] },
} as const;

export const commandSubject = (service: ServiceName, action: string, version = 1): string =>
  `bosun.cmd.${service}.${action}.v${version}`;

/** All command subjects of one service (its durable consumer's filter). */
export const serviceCommandFilter = (service: ServiceName): string => `bosun.cmd.${service}.>`;

/** The durable consumer a service takes its commands through (the gateway reads its ack floor). */
export const commandConsumer = (service: ServiceName): string => `${service}-commands`;

/**
 * Where a message its consumer gave up on is kept: `bosun.dlq.<service>.…` for a command,
 * `bosun.dlq.evt.…` for an event (each principal may publish only its own, ADR 0005).
 */
export const deadLetterSubject = (subject: string): string =>
  `bosun.dlq.${subject.replace(/^bosun\.cmd\./, '').replace(/^bosun\.evt\./, 'evt.')}`;

export const OPERATION_EVENT_KINDS = ['started', 'progressed', 'succeeded', 'failed'] as const;
export type OperationEventKind = (typeof OPERATION_EVENT_KINDS)[number];

/**
 * A service's operation lifecycle event. The service is in the subject so the server can
 * hold each service to its own events, and the gateway can check an event came from the
 * service the operation was sent to (ADR 0005).
 */
export const operationEventSubject = (service: ServiceName, kind: OperationEventKind, version = 1): string =>
  `bosun.evt.${service}.operation.${kind}.v${version}`;

/** The gateway's filter: every service's operation events. */
export const OPERATION_EVENTS_FILTER = 'bosun.evt.*.operation.>';

/** The service and kind of an operation event subject (v1), or undefined for anything else. */
export function parseOperationEventSubject(subject: string): { service: ServiceName; kind: OperationEventKind } | undefined {
  const m = /^bosun\.evt\.([a-z-]+)\.operation\.([a-z]+)\.v1$/.exec(subject);
  if (!m || !(SERVICES as readonly string[]).includes(m[1]) || !(OPERATION_EVENT_KINDS as readonly string[]).includes(m[2])) return undefined;
  return { service: m[1] as ServiceName, kind: m[2] as OperationEventKind };
}

/** Core-NATS fan-out of operation changes (for SSE on any gateway replica); not persisted. */
export const operationChangedSubject = (operationId: string): string => `bosun.ntf.operation.${operationId}`;

/** Request/reply queries answered by a service. */
export const querySubject = (service: ServiceName, name: string, version = 1): string =>
  `bosun.qry.${service}.${name}.v${version}`;

export const pingSubject = (service: ServiceName): string => querySubject(service, 'ping');

/** BullMQ queue of a service's long-running work. */
export const jobQueue = (service: ServiceName, name: string): string => `bosun-${service}-${name}`;

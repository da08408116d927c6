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

export const deadLetterSubject = (commandSubjectName: string): string =>
  `bosun.dlq.${commandSubjectName.replace(/^bosun\.cmd\./, '')}`;

export const EVENT_SUBJECTS = {
  operationStarted: 'bosun.evt.operation.started.v1',
  operationProgressed: 'bosun.evt.operation.progressed.v1',
  operationSucceeded: 'bosun.evt.operation.succeeded.v1',
  operationFailed: 'bosun.evt.operation.failed.v1',
} as const;

/** Core-NATS fan-out of operation changes (for SSE on any gateway replica); not persisted. */
export const operationChangedSubject = (operationId: string): string => `bosun.ntf.operation.${operationId}`;

/** Request/reply queries answered by a service. */
export const querySubject = (service: ServiceName, name: string, version = 1): string =>
  `bosun.qry.${service}.${name}.v${version}`;

export const pingSubject = (service: ServiceName): string => querySubject(service, 'ping');

/** BullMQ queue of a service's long-running work. */
export const jobQueue = (service: ServiceName, name: string): string => `bosun-${service}-${name}`;

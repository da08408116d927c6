import { jetstream } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { operationEventSubject } from '@bosun/contracts';
import type { CommandEnvelope, OperationError, Progress, ServiceName } from '@bosun/contracts';
import { encodeJson } from './codec';

export interface PublishAck { seq: number; duplicate: boolean }

/** Publishes commands and events to JetStream, waiting for the stream's ack. */
export class JetStreamPublisher {
  private readonly js: JetStreamClient;
  constructor(nc: NatsConnection) {
    this.js = jetstream(nc, { timeout: 5000 });
  }

  /** `Nats-Msg-Id` = operation id + action: a re-published command is dropped by the stream. */
  async command(subject: string, envelope: CommandEnvelope): Promise<PublishAck> {
    const action = subject.split('.').slice(2, -1).join('.');
    const ack = await this.js.publish(subject, encodeJson(envelope), { msgID: `${envelope.operationId}:${action}` });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }

  async event(subject: string, event: unknown, msgId?: string): Promise<PublishAck> {
    const ack = await this.js.publish(subject, encodeJson(event), msgId ? { msgID: msgId } : undefined);
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
}

/** What a service says about an operation while working on it. */
export class OperationReporter {
  constructor(private readonly publisher: JetStreamPublisher, private readonly service: ServiceName, private readonly clock: () => Date = () => new Date()) {}

  async started(operationId: string, message?: string): Promise<void> {
    await this.publisher.event(operationEventSubject(this.service, 'started'), { operationId, at: this.now(), message }, `${operationId}:started`);
  }
  async progressed(operationId: string, progress: Progress): Promise<void> {
    await this.publisher.event(operationEventSubject(this.service, 'progressed'), { operationId, at: this.now(), progress });
  }
  async succeeded(operationId: string, result?: unknown): Promise<void> {
    await this.publisher.event(operationEventSubject(this.service, 'succeeded'), { operationId, at: this.now(), result }, `${operationId}:done`);
  }
  async failed(operationId: string, error: OperationError, result?: unknown): Promise<void> {
    await this.publisher.event(operationEventSubject(this.service, 'failed'), { operationId, at: this.now(), error, result }, `${operationId}:done`);
  }
  private now(): string {
    return this.clock().toISOString();
  }
}

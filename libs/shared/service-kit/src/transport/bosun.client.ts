import { ClientProxy } from '@nestjs/microservices';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';
import type { CommandEnvelope, QueryEnvelope, QueryReply } from '@bosun/contracts';
import { JetStreamPublisher, QueryClient } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';

/** Default time a query may take before it is answered `Timeout`. */
const QUERY_TIMEOUT_MS = 5000;

/**
 * The gateway's side of BosunTransport, as Nest's `ClientProxy`: `send(querySubject, envelope)`
 * is NATS request/reply and emits the typed reply (`{ok, value} | {ok: false, error}` —
 * failures are values, never errors on the stream); `emit(commandSubject, envelope)` is a
 * JetStream publish with the operation id as `Nats-Msg-Id` and completes once the stream
 * acknowledged it (a re-published command is dropped as a duplicate).
 */
export class BosunClientProxy extends ClientProxy {
  private readonly queries: QueryClient;
  private readonly publisher: JetStreamPublisher;

  constructor(private readonly nc: NatsConnection, private readonly queryTimeoutMs = QUERY_TIMEOUT_MS) {
    super();
    this.queries = new QueryClient(nc);
    this.publisher = new JetStreamPublisher(nc);
  }

  /** Connected by construction: the NATS connection is the runtime's. */
  async connect(): Promise<NatsConnection> {
    return this.nc;
  }

  /** The runtime closes the connection it owns. */
  close(): void {
    return undefined;
  }

  override on(): never {
    throw new Error('BosunClientProxy has no events to listen to');
  }

  unwrap<T>(): T {
    return this.nc as T;
  }

  /** Typed request/reply without rxjs at the call site. */
  ask<T>(subject: string, envelope: QueryEnvelope, timeoutMs = this.queryTimeoutMs): Promise<QueryReply<T>> {
    return this.queries.request<T>(subject, envelope, timeoutMs);
  }

  /** Sends a command and resolves once JetStream stored it. */
  async command(subject: string, envelope: CommandEnvelope): Promise<{ seq: number; duplicate: boolean }> {
    return this.publisher.command(subject, envelope);
  }

  protected publish(packet: ReadPacket<QueryEnvelope>, callback: (packet: WritePacket) => void): () => void {
    let cancelled = false;
    void this.ask(String(packet.pattern), packet.data).then((reply) => {
      if (!cancelled) callback({ response: reply, isDisposed: true });
    });
    return () => {
      cancelled = true;
    };
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket<CommandEnvelope>): Promise<T> {
    return (await this.command(String(packet.pattern), packet.data)) as T;
  }
}

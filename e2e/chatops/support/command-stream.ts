import { connectNats, decodeJson } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { createLogger } from '@bosun/logging';
import { testInfra, testNatsAuth, uniqueName } from '@bosun/testing';

/**
 * Records the commands the gateway publishes from now on: what would reach the services,
 * whether or not any runs. A core-NATS subscription sees every JetStream publish; the
 * commands stream itself is a work queue (messages leave it once a service acked them), so
 * it cannot be read back afterwards.
 */
export class CommandRecorder {
  private readonly seen: { operationId?: string; subject: string }[] = [];
  private constructor(private readonly nc: NatsConnection) {
    nc.subscribe('bosun.cmd.>', {
      callback: (_err, m) => void this.seen.push({ subject: m.subject, operationId: (decodeJson(m.data) as { operationId?: string }).operationId }),
    });
  }

  static async start(): Promise<CommandRecorder> {
    const nc = await connectNats(testInfra().natsUrl, uniqueName('chatops-e2e-recorder'), createLogger('e2e', 'silent'), testNatsAuth('gateway'));
    await nc.flush();
    return new CommandRecorder(nc);
  }

  /** The subjects published for each of these operations so far. */
  publishedFor(operationIds: string[]): Record<string, string[]> {
    return Object.fromEntries(operationIds.map((id) => [id, this.seen.filter((s) => s.operationId === id).map((s) => s.subject)]));
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}

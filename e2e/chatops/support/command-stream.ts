import { DeliverPolicy, jetstream, type Consumer } from '@nats-io/jetstream';
import { STREAMS } from '@bosun/contracts';
import { connectNats, decodeJson } from '@bosun/messaging';
import { createLogger } from '@bosun/logging';
import { testInfra, uniqueName } from '@bosun/testing';

/**
 * The commands the gateway published for these operations since `since`, read back from
 * the JetStream commands stream: what would reach the services, whether or not any runs.
 */
export async function commandsPublishedFor(operationIds: string[], since: Date): Promise<Record<string, string[]>> {
  const nc = await connectNats(testInfra().natsUrl, uniqueName('chatops-e2e-reader'), createLogger('e2e', 'silent'));
  const found: Record<string, string[]> = Object.fromEntries(operationIds.map((id) => [id, []]));
  try {
    const consumer = await jetstream(nc).consumers.get(STREAMS.commands.name, {
      filter_subjects: ['bosun.cmd.>'], deliver_policy: DeliverPolicy.StartTime, opt_start_time: since.toISOString(),
    });
    while ((await readBatch(consumer, found)) > 0) { /* until a fetch comes back empty */ }
  } finally {
    await nc.drain();
  }
  return found;
}

async function readBatch(consumer: Consumer, found: Record<string, string[]>): Promise<number> {
  let n = 0;
  for await (const m of await consumer.fetch({ max_messages: 500, expires: 1000 })) {
    n++;
    const id = (decodeJson(m.data) as { operationId?: string }).operationId;
    if (id && id in found) found[id].push(m.subject);
  }
  return n;
}

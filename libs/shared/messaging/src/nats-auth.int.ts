// Attacks on the bus that the NATS server itself must refuse (ADR 0005), against the test
// NATS that scripts/infra.sh started with tools/nats-auth's accounts. Each attack is made
// with real credentials of a principal that must not be able to do it, and each has a
// positive control so a refusal cannot come from something else being broken.
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { commandSubject, deadLetterSubject, operationEventSubject, querySubject, serviceCommandFilter, STREAMS } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { testInfra, testNatsAuth, uniqueName } from '@bosun/testing';
import type { TestNatsPrincipal } from '@bosun/testing';
import { connectNats, ensureStreams, inboxPrefixOf } from './index';

const logger = createLogger('test', 'silent');
const opened: NatsConnection[] = [];
const as = async (principal: TestNatsPrincipal): Promise<NatsConnection> => {
  const nc = await connectNats(testInfra().natsUrl, uniqueName(`attack-${principal}`), logger, testNatsAuth(principal));
  opened.push(nc);
  return nc;
};
const PERMISSION = /permissions violation/i;
/** A command subject no consumer filters, so the work-queue stream keeps what lands there. */
const unconsumed = (): string => `bosun.cmd.${uniqueName('nobody')}.probe.v1`;

/** Resolves with the subscription's error (the server closes a refused subscription). */
const refusedSubscription = (nc: NatsConnection, subject: string): Promise<string> => new Promise((resolve) => {
  nc.subscribe(subject, { callback: (err) => { if (err) resolve(err.message); } });
  void nc.flush();
});

let gateway: NatsConnection;
beforeAll(async () => {
  gateway = await as('gateway');
  await ensureStreams(gateway);
});
afterAll(async () => {
  for (const nc of opened) await nc.close().catch(() => undefined);
});

describe('the NATS server refuses (ADR 0005)', () => {
  it('a connection without credentials, and one with a seed it does not know', async () => {
    await expect(connect({ servers: testInfra().natsUrl, reconnect: false })).rejects.toThrow(/authorization violation/i);
    const stranger = { principal: 'gateway', seed: 'SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4' };
    await expect(connectNats(testInfra().natsUrl, 'stranger', logger, stranger)).rejects.toThrow(/server does not know this nkey/);
  });

  it('a service publishing a command, for itself or another service (the gateway may)', async () => {
    const autoscaler = await as('autoscaler');
    const js = jetstream(autoscaler);
    await expect(js.publish(commandSubject('deployer', 'deploy'), '{}')).rejects.toThrow(PERMISSION);
    await expect(js.publish(commandSubject('autoscaler', 'create'), '{}')).rejects.toThrow(PERMISSION);
    // Control: the gateway's command lands (on a subject no service consumes).
    const subject = unconsumed();
    await expect(jetstream(gateway).publish(subject, '{}')).resolves.toMatchObject({ stream: STREAMS.commands.name });
  });

  it('a service reading another service\'s commands: core subscription, a consumer of its own with their filter, theirs, or the stream\'s messages', async () => {
    const storage = await as('storage');
    expect(await refusedSubscription(storage, serviceCommandFilter('deployer'))).toMatch(PERMISSION);
    const jsm = await jetstreamManager(await as('storage'));
    const consumer = { ack_policy: AckPolicy.Explicit, filter_subject: serviceCommandFilter('deployer') };
    await expect(jsm.consumers.add(STREAMS.commands.name, { ...consumer, durable_name: 'storage-commands' })).rejects.toThrow(PERMISSION);
    await expect(jsm.consumers.add(STREAMS.commands.name, { ...consumer, durable_name: 'deployer-commands' })).rejects.toThrow(PERMISSION);
    await expect(jsm.consumers.add(STREAMS.commands.name, { ...consumer, durable_name: 'storage-commands', filter_subject: undefined, filter_subjects: [serviceCommandFilter('deployer')] })).rejects.toThrow(PERMISSION);
    await expect(jsm.streams.getMessage(STREAMS.commands.name, { last_by_subj: commandSubject('deployer', 'deploy') })).rejects.toThrow(PERMISSION);
    // Control: its own consumer, with its own filter, is allowed.
    await expect(jsm.consumers.info(STREAMS.commands.name, 'storage-commands').catch(() => jsm.consumers.add(STREAMS.commands.name, { ack_policy: AckPolicy.Explicit, durable_name: 'storage-commands', filter_subject: serviceCommandFilter('storage') }))).resolves.toBeDefined();
  });

  it('a service snooping on another principal\'s inbox (where JetStream delivers pulled commands and replies)', async () => {
    const dns = await as('dns-inspector');
    expect(await refusedSubscription(dns, `${inboxPrefixOf('deployer')}.>`)).toMatch(PERMISSION);
    expect(await refusedSubscription(await as('dns-inspector'), `${inboxPrefixOf('gateway')}.>`)).toMatch(PERMISSION);
    expect(await refusedSubscription(await as('dns-inspector'), '_INBOX.>')).toMatch(PERMISSION);
  });

  it('a service publishing another service\'s events or dead letters (its own are fine)', async () => {
    const js = jetstream(await as('provisioner'));
    await expect(js.publish(operationEventSubject('deployer', 'succeeded'), JSON.stringify({ operationId: 'op_forged', at: new Date().toISOString() }))).rejects.toThrow(PERMISSION);
    await expect(js.publish(deadLetterSubject(commandSubject('deployer', 'deploy')), '{}')).rejects.toThrow(PERMISSION);
    await expect(js.publish(operationEventSubject('provisioner', 'progressed'), JSON.stringify({ operationId: uniqueName('op_own'), at: new Date().toISOString(), progress: { current: 0, total: 1, message: 'x' } }))).resolves.toMatchObject({ stream: STREAMS.events.name });
  });

  it('a service reading the operation events the gateway folds, asking another service, or changing a stream', async () => {
    const deployer = await as('deployer');
    expect(await refusedSubscription(deployer, operationEventSubject('provisioner', 'succeeded'))).toMatch(PERMISSION);
    const jsm = await jetstreamManager(await as('deployer'));
    await expect(jsm.consumers.add(STREAMS.events.name, { durable_name: 'deployer-peek', ack_policy: AckPolicy.Explicit, filter_subject: 'bosun.evt.>' })).rejects.toThrow(PERMISSION);
    await expect(jsm.streams.update(STREAMS.events.name, { max_age: 1_000_000_000 })).rejects.toThrow(PERMISSION);
    await expect(jsm.streams.delete(STREAMS.commands.name)).rejects.toThrow(PERMISSION);
    await expect((await as('deployer')).request(querySubject('provisioner', 'ping'), '{}', { timeout: 2000 })).rejects.toThrow(PERMISSION);
  });

  it('a workload (APPS account) seeing anything of Bosun\'s, even on the same server', async () => {
    const apps = await as('apps');
    const seen: string[] = [];
    apps.subscribe('bosun.>', { callback: (_e, m) => void seen.push(m.subject) });
    await apps.flush();
    const subject = unconsumed();
    await jetstream(gateway).publish(subject, '{}');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]); // a different account: Bosun's subjects do not exist there
    // A stream of the same name in the workloads' account (tests make one) is another stream.
    // (nats.js answers a missing message with null, a missing stream with an error.)
    const theirs = await (await jetstreamManager(apps)).streams.getMessage(STREAMS.commands.name, { last_by_subj: subject }).catch(() => null);
    expect(theirs).toBeNull();
    // Control: Bosun's own stream has it.
    expect(await (await jetstreamManager(gateway)).streams.info(STREAMS.commands.name, { subjects_filter: subject })).toMatchObject({ state: { subjects: { [subject]: 1 } } });
  });
});

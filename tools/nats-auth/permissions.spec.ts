// The permission matrix (tools/nats-auth/permissions.cjs, rendered into the server's accounts
// file) held against the subjects the code actually uses, so a renamed subject or consumer
// cannot silently lock a service out — or let one in. The server-side proof is libs/shared/messaging/src/nats-auth.int.ts.
import { commandConsumer, commandSubject, deadLetterSubject, OPERATION_CONTROL_BUCKET, operationEventSubject, operationChangedSubject, pingSubject, querySubject, serviceCommandFilter, SERVICES, STREAMS } from '@bosun/contracts';
import * as matrix from './permissions.cjs';
import { inboxPrefixOf } from '@bosun/messaging';

/** NATS subject matching: `*` one token, `>` one or more trailing tokens. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}
const may = (rules: { allow?: string[]; deny?: string[] } | undefined, subject: string): boolean =>
  Boolean(rules?.allow?.some((a) => matches(a, subject))) && !rules?.deny?.some((d) => matches(d, subject));
const pub = (who: string, subject: string): boolean => may(matrix.permissionsFor(who)?.publish, subject);
const sub = (who: string, subject: string): boolean => may(matrix.permissionsFor(who)?.subscribe, subject);

describe('NATS permissions (ADR 0005)', () => {
  it('names the same services and streams as the contracts', () => {
    expect(matrix.SERVICES).toEqual([...SERVICES]);
    expect(matrix.BOSUN_STREAMS).toEqual([STREAMS.commands.name, STREAMS.events.name, STREAMS.deadLetters.name, `KV_${OPERATION_CONTROL_BUCKET}`]);
    for (const p of matrix.PRINCIPALS) expect(matrix.inboxPrefix(p)).toBe(inboxPrefixOf(p));
  });

  it('lets only the gateway send commands and ask queries', () => {
    for (const service of SERVICES) {
      expect(pub('gateway', commandSubject(service, 'deploy'))).toBe(true);
      expect(pub('gateway', querySubject(service, 'validate'))).toBe(true);
      for (const other of SERVICES) {
        expect(pub(other, commandSubject(service, 'deploy'))).toBe(false);
        expect(pub(other, querySubject(service, 'validate'))).toBe(false);
      }
    }
  });

  it('lets the gateway read how far a service has acknowledged its commands, never pull them', () => {
    for (const service of SERVICES) {
      expect(pub('gateway', `$JS.API.CONSUMER.INFO.BOSUN_CMD.${service}-commands`)).toBe(true);
      expect(pub('gateway', `$JS.API.CONSUMER.MSG.NEXT.BOSUN_CMD.${service}-commands`)).toBe(false);
      expect(pub('gateway', `$JS.API.CONSUMER.CREATE.BOSUN_CMD.${service}-commands.${serviceCommandFilter(service)}`)).toBe(false);
    }
  });

  it.each([...SERVICES])('%s consumes only its own commands, through its own durable consumer', (service) => {
    const own = `$JS.API.CONSUMER.CREATE.BOSUN_CMD.${matrix.commandConsumer(service)}.${serviceCommandFilter(service)}`;
    expect(matrix.commandConsumer(service)).toBe(commandConsumer(service)); // OperationEngine's durable name, the reconciler's ack floor
    expect(pub(service, own)).toBe(true);
    expect(pub(service, `$JS.API.CONSUMER.MSG.NEXT.BOSUN_CMD.${service}-commands`)).toBe(true);
    for (const other of SERVICES.filter((s) => s !== service)) {
      expect(pub(service, `$JS.API.CONSUMER.CREATE.BOSUN_CMD.${service}-commands.${serviceCommandFilter(other)}`)).toBe(false);
      expect(pub(service, `$JS.API.CONSUMER.CREATE.BOSUN_CMD.${other}-commands.${serviceCommandFilter(other)}`)).toBe(false);
      expect(pub(service, `$JS.API.CONSUMER.MSG.NEXT.BOSUN_CMD.${other}-commands`)).toBe(false);
      expect(sub(service, commandSubject(other, 'deploy'))).toBe(false);
      expect(sub(service, `${inboxPrefixOf(other)}.abc`)).toBe(false);
    }
    // Neither the old create API (any filter) nor reading the stream's messages directly.
    expect(pub(service, `$JS.API.CONSUMER.DURABLE.CREATE.BOSUN_CMD.${service}-commands`)).toBe(false);
    expect(pub(service, `$JS.API.CONSUMER.CREATE.BOSUN_CMD.${service}-commands`)).toBe(false);
    expect(pub(service, '$JS.API.STREAM.MSG.GET.BOSUN_CMD')).toBe(false);
    expect(pub(service, '$JS.API.DIRECT.GET.BOSUN_CMD')).toBe(false);
    expect(sub(service, `${inboxPrefixOf('gateway')}.abc`)).toBe(false);
  });

  it.each([...SERVICES])('%s publishes only its own events and dead letters, answers only its own queries', (service) => {
    for (const kind of ['started', 'progressed', 'succeeded', 'failed'] as const) expect(pub(service, operationEventSubject(service, kind))).toBe(true);
    expect(pub(service, deadLetterSubject(commandSubject(service, 'deploy')))).toBe(true);
    expect(sub(service, querySubject(service, 'validate'))).toBe(true);
    expect(sub(service, pingSubject(service))).toBe(true);
    expect(matrix.permissionsFor(service)?.allow_responses).toBeDefined();
    for (const other of SERVICES.filter((s) => s !== service)) {
      expect(pub(service, operationEventSubject(other, 'succeeded'))).toBe(false);
      expect(pub(service, deadLetterSubject(commandSubject(other, 'deploy')))).toBe(false);
      expect(sub(service, querySubject(other, 'validate'))).toBe(false);
    }
    // Nobody but the gateway reads the operation events it folds, or makes streams.
    expect(sub(service, operationEventSubject(service, 'succeeded'))).toBe(false);
    expect(pub(service, '$JS.API.CONSUMER.CREATE.BOSUN_EVT.gateway-operations.bosun.evt.*.operation.>')).toBe(false);
    expect(pub(service, '$JS.API.STREAM.CREATE.BOSUN_CMD')).toBe(false);
    expect(pub(service, '$JS.API.STREAM.UPDATE.BOSUN_EVT')).toBe(false);
    expect(pub(service, operationChangedSubject('op_1'))).toBe(false);
  });

  it('gives the gateway what it folds and declares, and its own dead letters only', () => {
    expect(pub('gateway', '$JS.API.CONSUMER.CREATE.BOSUN_EVT.gateway-operations.bosun.evt.*.operation.>')).toBe(true);
    expect(pub('gateway', deadLetterSubject(operationEventSubject('deployer', 'succeeded')))).toBe(true);
    expect(pub('gateway', deadLetterSubject(commandSubject('deployer', 'deploy')))).toBe(false);
    expect(pub('gateway', operationEventSubject('deployer', 'succeeded'))).toBe(false);
    for (const s of matrix.BOSUN_STREAMS) expect(pub('gateway', `$JS.API.STREAM.CREATE.${s}`)).toBe(true);
    expect(pub('gateway', '$JS.API.STREAM.DELETE.BOSUN_EVT')).toBe(false);
    expect(pub('gateway', '$JS.API.CONSUMER.CREATE.BOSUN_CMD.deployer-commands.bosun.cmd.deployer.>')).toBe(false);
  });

  it('keeps the autoscaler\'s view of workloads\' queues read-only', () => {
    expect(pub('queue-reader', '$JS.API.CONSUMER.INFO.ORDERS.workers')).toBe(true);
    expect(pub('queue-reader', 'orders.new')).toBe(false);
    expect(pub('queue-reader', '$JS.API.STREAM.PURGE.ORDERS')).toBe(false);
    expect(matrix.permissionsFor('apps')).toBeUndefined(); // a workload: every right, in its own account
  });
});

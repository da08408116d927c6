// Who may do what on Bosun's NATS (ADR 0005). Plain CommonJS so the renderer runs before
// anything is built (scripts/infra.sh, the compose init container, the chart check) and the
// unit test (libs/shared/messaging/src/nats.permissions.spec.ts) can hold it against the
// subjects the code actually uses.
//
// The rule: the gateway is the only principal that may ask (commands, queries); a service
// consumes only its own commands, answers only its own queries and publishes only its own
// events and dead letters; only the gateway reads the operation events it folds. Every
// principal gets its own inbox prefix, so nobody can read replies meant for someone else
// (JetStream delivers a pull consumer's messages to the puller's inbox).
'use strict';

const SERVICES = ['provisioner', 'deployer', 'autoscaler', 'storage', 'dns-inspector'];
const PRINCIPALS = ['gateway', ...SERVICES];
const CONTROL_STREAM = 'KV_bosun-operation-control';
const BOSUN_STREAMS = ['BOSUN_CMD', 'BOSUN_EVT', 'BOSUN_DLQ', CONTROL_STREAM];

/** The inbox prefix a principal's connection must use (connectNats sets it). */
const inboxPrefix = (principal) => `_INBOX.${principal}`;

/** The durable consumer a service reads its commands through (OperationEngine). */
const commandConsumer = (service) => `${service}-commands`;

/** Reading and writing the cancel/claim bucket (OperationControl): both sides need it. */
const controlBucket = [
  '$KV.bosun-operation-control.>',
  `$JS.API.STREAM.INFO.${CONTROL_STREAM}`,
  `$JS.API.STREAM.MSG.GET.${CONTROL_STREAM}`,
  `$JS.API.DIRECT.GET.${CONTROL_STREAM}.>`,
  // kv.watch(): an ordered consumer over the bucket's own subjects, deleted when it stops.
  `$JS.API.CONSUMER.CREATE.${CONTROL_STREAM}.>`,
  `$JS.API.CONSUMER.INFO.${CONTROL_STREAM}.>`,
  `$JS.API.CONSUMER.MSG.NEXT.${CONTROL_STREAM}.>`,
  `$JS.API.CONSUMER.DELETE.${CONTROL_STREAM}.>`,
  `$JS.ACK.${CONTROL_STREAM}.>`,
];

function gateway() {
  return {
    publish: {
      allow: [
        '$JS.API.INFO',
        // The gateway declares the streams and the bucket (services only read their info).
        ...BOSUN_STREAMS.flatMap((s) => [`$JS.API.STREAM.INFO.${s}`, `$JS.API.STREAM.CREATE.${s}`, `$JS.API.STREAM.UPDATE.${s}`]),
        // ensureStreams re-creates an older BOSUN_CMD of the wrong retention once it is idle.
        '$JS.API.CONSUMER.LIST.BOSUN_CMD', '$JS.API.STREAM.DELETE.BOSUN_CMD',
        // The reconciler reads how far each service's command consumer has acknowledged (never
        // pulls from it): a command not yet acknowledged is on its way, not lost.
        '$JS.API.CONSUMER.INFO.BOSUN_CMD.*',
        'bosun.cmd.>', 'bosun.qry.>', 'bosun.ntf.>',
        // The operation events it folds, through its durable consumer; its own dead letters.
        '$JS.API.CONSUMER.CREATE.BOSUN_EVT.>', '$JS.API.CONSUMER.INFO.BOSUN_EVT.*', '$JS.API.CONSUMER.MSG.NEXT.BOSUN_EVT.*', '$JS.ACK.BOSUN_EVT.>',
        'bosun.dlq.evt.>',
        // Reading dead letters (any service's) for inspection; never consuming or deleting them.
        '$JS.API.STREAM.MSG.GET.BOSUN_DLQ', '$JS.API.DIRECT.GET.BOSUN_DLQ.>',
        ...controlBucket,
      ],
    },
    // Core NATS reads of what it sends or folds anyway (commands, events, dead letters): no
    // more than it already knows; tests, benches and operators watch the bus as the gateway.
    subscribe: { allow: [`${inboxPrefix('gateway')}.>`, 'bosun.ntf.>', 'bosun.evt.>', 'bosun.cmd.>', 'bosun.dlq.>'] },
  };
}

function service(name) {
  const consumer = commandConsumer(name);
  return {
    publish: {
      allow: [
        '$JS.API.INFO',
        ...BOSUN_STREAMS.map((s) => `$JS.API.STREAM.INFO.${s}`),
        // Its own commands only: the filter is part of the create subject, and the server
        // refuses a config whose filter differs from it.
        `$JS.API.CONSUMER.CREATE.BOSUN_CMD.${consumer}.bosun.cmd.${name}.>`,
        `$JS.API.CONSUMER.INFO.BOSUN_CMD.${consumer}`,
        // Its own consumer only (re-created from scratch by an operator running as the service).
        `$JS.API.CONSUMER.DELETE.BOSUN_CMD.${consumer}`,
        `$JS.API.CONSUMER.MSG.NEXT.BOSUN_CMD.${consumer}`,
        `$JS.ACK.BOSUN_CMD.${consumer}.>`,
        `bosun.evt.${name}.>`,
        `bosun.dlq.${name}.>`,
        ...controlBucket,
      ],
    },
    // Its queries, and the gateway's notifications to it (@NotificationHandler).
    subscribe: { allow: [`${inboxPrefix(name)}.>`, `bosun.qry.${name}.>`, `bosun.ntf.${name}.>`] },
    // Answering a query is publishing to its reply subject, and only while answering it.
    allow_responses: { max: 1, expires: '1m' },
  };
}

// The APPS account: workloads' own queues on the same server, which can never see Bosun's
// subjects (accounts share nothing unless they export it). `apps` is a workload (full rights
// in APPS: local runs and tests make their queues with it); `queue-reader` is the autoscaler's
// view of those queues for Queue metrics without a `natsUrl` — counts and wake-ups, no writes.
const WORKLOAD_PRINCIPALS = ['apps', 'queue-reader'];

function queueReader() {
  return {
    publish: { allow: ['$JS.API.INFO', '$JS.API.STREAM.INFO.*', '$JS.API.CONSUMER.INFO.*.*'] },
    subscribe: { allow: ['>'] },
  };
}

/** The NATS permissions block of one principal (undefined: every right in its account). */
function permissionsFor(principal) {
  if (principal === 'gateway') return gateway();
  if (SERVICES.includes(principal)) return service(principal);
  if (principal === 'queue-reader') return queueReader();
  if (principal === 'apps') return undefined;
  throw new Error(`unknown NATS principal ${principal}; one of ${[...PRINCIPALS, ...WORKLOAD_PRINCIPALS].join(', ')}`);
}

module.exports = { SERVICES, PRINCIPALS, WORKLOAD_PRINCIPALS, BOSUN_STREAMS, inboxPrefix, commandConsumer, permissionsFor };

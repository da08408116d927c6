// The fault campaign (issue 14): rounds of concurrent operations of every kind the services
// offer, while one component — a service, the gateway, chatops, NATS or Redis — is killed
// with SIGKILL at a random moment and started again. After each round, what Bosun promised:
// every operation answered 202 reaches the right terminal state, a retried request with the
// same Idempotency-Key never makes a second operation, a set-image makes exactly one
// revision, and every operation is in the audit log. Run by `npm run chaos` (≥ 100 kills) and,
// bounded, by e2e/chaos/chaos.e2e.ts inside `npm test`.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { AppName } from '@bosun/contracts';
import { eventually, REPO_ROOT, testInfra } from '@bosun/testing';
import type { Stack } from '../support/stack';

const run = promisify(execFile);

export const COMPONENTS = ['deployer', 'gateway', 'provisioner', 'storage', 'autoscaler', 'dns-inspector', 'chatops', 'nats', 'redis'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface CampaignOptions {
  stack: Stack;
  /** Namespace of the campaign's Deployments and claims (made by the caller). */
  namespace: string;
  kills: number;
  /** Time an operation has to reach its terminal state after its round (default 120 s). */
  settleMs?: number;
  log?: (line: string) => void;
}

export interface Finding { round: number; killed: Component; what: string }

export interface CampaignReport {
  rounds: number;
  kills: Record<Component, number>;
  operations: number;
  lost: number;
  wrong: number;
  duplicated: number;
  unaudited: number;
  extraRevisions: number;
  /** Requests retried (same Idempotency-Key) because the first answer was a connection error or 5xx. */
  retries: number;
  durationSeconds: number;
  findings: Finding[];
}

/** One mutating request of a round and what it must end as. */
interface Intent {
  label: string;
  method: string;
  path: string;
  body: unknown;
  key: string;
}

interface Outcome { intent: Intent; ids: Set<string>; status?: number; error?: string }

/** HTTP with the same Idempotency-Key until an answer that is not a crash (connection error, 5xx) or the budget runs out. */
async function send(stack: Stack, intent: Intent, budgetMs: number, onRetry: () => void): Promise<Outcome> {
  const outcome: Outcome = { intent, ids: new Set() };
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (attempt) {
      onRetry();
      await sleep(Math.min(250 * attempt, 2000));
    }
    try {
      const res = await fetch(`${stack.url}${intent.path}`, {
        method: intent.method,
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json', 'idempotency-key': intent.key },
        body: JSON.stringify(intent.body),
        signal: AbortSignal.timeout(10_000),
      });
      const body = await res.json().catch(() => undefined) as { id?: string } | undefined;
      outcome.status = res.status;
      if (res.status === 202 && body?.id) outcome.ids.add(body.id);
      if (res.status < 500 && res.status !== 429) return outcome;
      outcome.error = `HTTP ${res.status}`;
    } catch (e) {
      outcome.error = (e as Error).message;
    }
  }
  return outcome;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Kills one component with SIGKILL and starts it again after a moment. */
async function crash(stack: Stack, component: Component, downMs: number): Promise<void> {
  const infra = (action: string): Promise<unknown> => run('bash', [`${REPO_ROOT}/scripts/infra.sh`, action, testInfra().stateName]);
  if (component === 'nats' || component === 'redis') {
    await infra(`kill-${component}`);
    await sleep(downMs);
    await infra(`start-${component}`);
    return;
  }
  await stack.kill(component as AppName);
  await sleep(downMs);
  await stack.start(component as AppName);
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const { stack, namespace: ns } = opts;
  const log = opts.log ?? ((l: string) => console.log(`[chaos] ${l}`));
  const settleMs = opts.settleMs ?? 120_000;
  const started = Date.now();
  const report: CampaignReport = {
    rounds: 0, kills: Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>,
    operations: 0, lost: 0, wrong: 0, duplicated: 0, unaudited: 0, extraRevisions: 0, retries: 0, durationSeconds: 0, findings: [],
  };
  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${stack.url}${path}`, { method, headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
  const healthy = (what: string): Promise<true> => eventually(async () => ((await api('GET', '/readyz?services=all').catch(() => undefined))?.status === 200 ? true : undefined), what, 90_000, 250);
  const terminal = (id: string): Promise<any> => eventually(async () => {
    const r = await api('GET', `/v1/operations/${id}`).catch(() => undefined);
    return r && r.status === 200 && ['succeeded', 'failed', 'rejected', 'cancelled'].includes(r.body.status) ? r.body : r?.status === 404 ? { status: 'missing' } : undefined;
  }, `operation ${id} terminal`, settleMs, 250);
  const revision = async (name: string): Promise<number> => (await api('GET', `/v1/deployments/${ns}/${name}`)).body?.revision ?? 0;

  // The long-lived objects every round changes: one Deployment for set-image and scale, one
  // with two revisions for rollback.
  await healthy('the stack ready');
  for (const [name, images] of [['base', ['nginx:1.27']], ['rb', ['nginx:1.26', 'nginx:1.27']]] as const) {
    for (const [i, image] of images.entries()) {
      const r = await send(stack, { label: `setup ${name}`, method: i ? 'PUT' : 'POST', path: i ? `/v1/deployments/${ns}/${name}/image` : '/v1/deployments', body: i ? { image } : { namespace: ns, name, image, replicas: 1 }, key: randomUUID() }, 60_000, () => undefined);
      const op = await terminal([...r.ids][0]);
      if (op.status !== 'succeeded') throw new Error(`set-up of ${name} failed: ${JSON.stringify(op)}`);
    }
  }

  const order = shuffle([...COMPONENTS]);
  for (let round = 1; round <= opts.kills; round++) {
    const killed = order[(round - 1) % order.length];
    const tag = `r${round}-${Date.now().toString(36)}`;
    const roundStarted = new Date(Date.now() - 1000).toISOString();
    const baseBefore = await revision('base');
    const intents: Intent[] = [
      { label: 'deploy', method: 'POST', path: '/v1/deployments', body: { namespace: ns, name: `d-${tag}`, image: 'nginx:1.27', replicas: 1 } },
      { label: 'set-image', method: 'PUT', path: `/v1/deployments/${ns}/base/image`, body: { image: `nginx:1.${round % 90 + 10}-${tag}`, changeCause: tag } },
      { label: 'scale', method: 'POST', path: `/v1/deployments/${ns}/base/scale`, body: { replicas: (round % 3) + 1 } },
      { label: 'rollback', method: 'POST', path: `/v1/deployments/${ns}/rb/rollback`, body: {} },
      { label: 'tenant', method: 'POST', path: '/v1/tenants', body: { name: `chaos-${tag}` } },
      { label: 'claim', method: 'POST', path: '/v1/storage/claims', body: { namespace: ns, name: `c-${tag}`, size: '1Gi', accessModes: ['ReadWriteOnce'] } },
    ].map((i) => ({ ...i, key: randomUUID() }));
    // Requests and the kill spread over the same two seconds, so kills land before, between
    // and during requests (a retried request must not make a second operation) and during work.
    const fault = (async () => {
      await sleep(Math.random() * 2000);
      report.kills[killed]++;
      await crash(stack, killed, 300 + Math.random() * 1700);
    })();
    const outcomes = await Promise.all(intents.map(async (i) => {
      await sleep(Math.random() * 2000);
      return send(stack, i, 90_000, () => report.retries++);
    }));
    await fault;
    report.rounds = round;

    for (const o of outcomes) {
      const where = `${o.intent.label} ${o.intent.method} ${o.intent.path}`;
      if (o.ids.size > 1) {
        report.duplicated++;
        report.findings.push({ round, killed, what: `${where}: one Idempotency-Key, ${o.ids.size} operations (${[...o.ids].join(', ')})` });
      }
      if (!o.ids.size) {
        // Never accepted: not a promise Bosun made, but a request that kept failing is worth seeing.
        report.findings.push({ round, killed, what: `${where}: never answered 202 (last: ${o.status ?? o.error})` });
        continue;
      }
      report.operations++;
      const id = [...o.ids][0];
      const op = await terminal(id).catch(() => ({ status: 'not terminal' }));
      if (op.status === 'missing' || op.status === 'not terminal' || op.error?.code === 'Lost') {
        report.lost++;
        report.findings.push({ round, killed, what: `${where}: operation ${id} ${op.status}${op.error ? ` (${op.error.code}: ${op.error.message})` : ''}` });
      } else if (op.status !== 'succeeded') {
        report.wrong++;
        report.findings.push({ round, killed, what: `${where}: operation ${id} ${op.status} (${op.error?.code}: ${op.error?.message})` });
      }
    }
    const setImage = outcomes[1];
    if (setImage.ids.size) {
      const extra = (await revision('base')) - baseBefore - 1;
      if (extra > 0) {
        report.extraRevisions += extra;
        report.findings.push({ round, killed, what: `set-image made ${extra + 1} revisions` });
      }
    }
    await healthy(`the stack ready after killing ${killed}`);
    const audit = (await api('GET', `/v1/audit?limit=1000&since=${roundStarted}`)).body?.items ?? [];
    const audited = new Set(audit.map((e: { operationId?: string }) => e.operationId).filter(Boolean));
    const accepted = outcomes.flatMap((o) => [...o.ids].map((id) => ({ id, label: o.intent.label })));
    for (const { id, label } of accepted.filter((a) => !audited.has(a.id))) {
      report.unaudited++;
      report.findings.push({ round, killed, what: `${label}: operation ${id} is not in the audit log` });
    }
    log(`round ${round}/${opts.kills}: killed ${killed}; ${outcomes.filter((o) => o.ids.size).length}/${outcomes.length} accepted; totals lost ${report.lost}, wrong ${report.wrong}, duplicated ${report.duplicated}, unaudited ${report.unaudited}`);
  }
  report.durationSeconds = Math.round((Date.now() - started) / 1000);
  return report;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The report as markdown: the figures first, then every finding. */
export function formatReport(r: CampaignReport): string {
  const kills = Object.entries(r.kills).filter(([, n]) => n).map(([c, n]) => `${c} ${n}`).join(', ');
  const lines = [
    '| rounds | kills | operations | lost | wrong | duplicated | unaudited | extra revisions | retried requests | seconds |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${r.rounds} | ${Object.values(r.kills).reduce((a, b) => a + b, 0)} | ${r.operations} | ${r.lost} | ${r.wrong} | ${r.duplicated} | ${r.unaudited} | ${r.extraRevisions} | ${r.retries} | ${r.durationSeconds} |`,
    '',
    `Kills per component: ${kills}.`,
  ];
  if (r.findings.length) lines.push('', 'Findings:', ...r.findings.map((f) => `- round ${f.round} (killed ${f.killed}): ${f.what}`));
  return lines.join('\n');
}


import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterRegistry } from '@bosun/kube';
import { REPO_ROOT, testCluster, uniqueName } from '@bosun/testing';
import { startStack } from '../support/stack';
import type { Stack } from '../support/stack';
import { formatReport, runCampaign } from './campaign';

// The fault campaign, bounded: BOSUN_CHAOS_KILLS kills (20 in `npm test`; `npm run chaos`
// asks for 100 or more), one per round, each component in turn. Nothing lost, wrong,
// duplicated or unaudited; the report goes to .bosun/test-results/chaos.md.
const KILLS = Number(process.env.BOSUN_CHAOS_KILLS ?? 20);
jest.setTimeout(KILLS * 60_000 + 180_000);

let stack: Stack;
let registry: ClusterRegistry;
let ns: string;

beforeAll(async () => {
  registry = new ClusterRegistry({ kubeconfigPath: testCluster().kubeconfig });
  ns = uniqueName('chaos');
  await registry.get().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  // Quicker reconciliation, so an operation whose report died with a component is repaired within
  // the round's budget. Quicker than a command's redelivery (30 s ack wait) on purpose: a command a
  // killed service had pulled is still on its way, and the reconciler must see that (its sequence
  // above the consumer's ack floor) rather than call it Lost.
  stack = await startStack(undefined, { BOSUN_RECONCILE_INTERVAL_SECONDS: '5', BOSUN_RECONCILE_AFTER_SECONDS: '15', BOSUN_RATE_LIMIT_PER_MINUTE: '0' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  const kube = registry.get();
  const namespaces = await kube.list({ apiVersion: 'v1', kind: 'Namespace' }).catch(() => []);
  for (const n of namespaces.filter((x) => x.metadata?.name === ns || x.metadata?.name?.startsWith('chaos-r'))) {
    await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: n.metadata!.name! }).catch(() => undefined);
  }
  registry.close();
}, 120_000);

it(`${KILLS} SIGKILLs across every component: nothing lost, wrong, duplicated or unaudited`, async () => {
  const report = await runCampaign({ stack, namespace: ns, kills: KILLS });
  const text = formatReport(report);
  mkdirSync(join(REPO_ROOT, '.bosun/test-results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, '.bosun/test-results/chaos.md'), `# Fault campaign\n\n${text}\n`);
  console.log(text);
  expect(report.rounds).toBe(KILLS);
  expect({ lost: report.lost, wrong: report.wrong, duplicated: report.duplicated, unaudited: report.unaudited, extraRevisions: report.extraRevisions })
    .toEqual({ lost: 0, wrong: 0, duplicated: 0, unaudited: 0, extraRevisions: 0 });
  expect(report.operations).toBeGreaterThanOrEqual(KILLS * 5); // nearly every request accepted
});

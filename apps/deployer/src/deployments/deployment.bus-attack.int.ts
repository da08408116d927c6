import { jetstream } from '@nats-io/jetstream';
import { commandSubject } from '@bosun/contracts';
import { createLogger } from '@bosun/logging';
import { connectNats, encodeJson } from '@bosun/messaging';
import type { NatsConnection } from '@bosun/messaging';
import { testInfra, testNatsAuth } from '@bosun/testing';
import { DeployerHarness } from '../testing/deployer.harness';

// The attack ADR 0005 closes, end to end: another service's credentials (here the
// autoscaler's) try to make the real deployer deploy as system:masters. The server refuses
// the command, so the deployer never sees it and the cluster never gets the Deployment; the
// same envelope from the gateway deploys (the control).
jest.setTimeout(90_000);
let h: DeployerHarness;
let ns: string;
let attacker: NatsConnection;

beforeAll(async () => {
  h = await DeployerHarness.create();
  await h.start();
  ns = await h.namespace('deployer-bus-attack');
  attacker = await connectNats(testInfra().natsUrl, 'attacker-as-autoscaler', createLogger('test', 'silent'), testNatsAuth('autoscaler'));
}, 60_000);
afterAll(async () => {
  await attacker?.close();
  await h?.close();
});

it('a deploy command from a service\'s credentials never reaches the deployer; the gateway\'s does', async () => {
  const forged = h.envelope('deployment.deploy', { namespace: ns, name: 'forged', image: 'nginx:1.27' });
  await expect(jetstream(attacker).publish(commandSubject('deployer', 'deploy'), encodeJson(forged), { msgID: `${forged.operationId}:deploy` })).rejects.toThrow(/permissions violation/i);
  attacker.publish(commandSubject('deployer', 'deploy'), encodeJson(forged)); // core NATS: dropped by the server
  await attacker.flush();

  const control = h.envelope('deployment.deploy', { namespace: ns, name: 'control', image: 'nginx:1.27' });
  await h.publish(control);
  await h.succeeded(control.operationId);
  expect(await h.deployment(ns, 'control')).toBeDefined();
  // The control was published after the forgery on the same stream and is done: an
  // accepted forgery would have been taken by now.
  expect(h.of(forged.operationId)).toEqual([]);
  expect(await h.deployment(ns, 'forged')).toBeUndefined();
});

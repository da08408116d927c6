import { readFileSync } from 'node:fs';
import { eventually, testCluster, uniqueName } from '@bosun/testing';
import { api, startStack } from '../support/stack';
import type { Stack } from '../support/stack';

jest.setTimeout(90_000);

describe('clusters API (gateway → deployer registry → apiserver)', () => {
  let stack: Stack;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    stack = await startStack(['gateway', 'deployer']);
    call = api(stack);
    await eventually(async () => ((await call('GET', '/v1/clusters')).status === 200 ? true : undefined), 'deployer answering', 30_000, 250);
  });
  afterAll(async () => stack?.stop());

  it('lists the default cluster with its version and kubectl skew', async () => {
    const r = await call('GET', '/v1/clusters');
    // Clusters other tests added live in the shared store too (every replica lists them).
    expect(r.body.items.filter((c: { default: boolean }) => c.default)).toEqual([expect.objectContaining({ name: 'default', default: true, reachable: true, version: 'v1.36.3', skew: expect.objectContaining({ withinOneMinor: true }) })]);
  });

  it('refuses kubeconfigs that could run commands or read files, naming the field', async () => {
    const execCfg = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`;
    const r = await call('POST', '/v1/clusters', { name: 'evil', kubeconfig: execCfg });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toMatch(/^kubeconfig\.users\[0\]\.user\.exec/);
    const fileCfg = execCfg.replace('{exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh}}', '{client-certificate: /etc/passwd}');
    expect((await call('POST', '/v1/clusters', { name: 'evil2', kubeconfig: fileCfg })).status).toBe(422);
    expect((await call('POST', '/v1/clusters', { name: 'Bad Name', kubeconfig: execCfg })).status).toBe(422);
  });

  it('registers a cluster from an inline kubeconfig, never returns its credentials, and refuses a duplicate', async () => {
    const name = uniqueName('c');
    const kubeconfig = readFileSync(testCluster().kubeconfig, 'utf8');
    const r = await call('POST', '/v1/clusters', { name, kubeconfig });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name, reachable: true, version: 'v1.36.3', default: false });
    const listed = await call('GET', '/v1/clusters');
    expect(JSON.stringify(listed.body)).not.toMatch(/client-key-data|BEGIN/);
    expect((await call('GET', `/v1/clusters/${name}`)).body.name).toBe(name);
    expect((await call('POST', '/v1/clusters', { name, kubeconfig })).status).toBe(409);
    expect((await call('GET', '/v1/clusters/nope')).status).toBe(404);
  });
});

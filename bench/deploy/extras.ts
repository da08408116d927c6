/**
 * Two figures of issue 14 measured on the running deployer: its TCP connections to the
 * apiserver while many deploys run at once, and how soon a final failure is final (a deploy into
 * a namespace that does not exist, 202 → `failed`).
 */
import type { BosunApi } from './bosun';
import type { Kube } from './cluster';
import { manifestFor, FIELD_MANAGER } from './cluster';
import type { App } from './processes';
import { connectionsTo } from './processes';
import { nowMs } from '../stats';

export interface ConnectionFigure {
  deploys: number;
  succeeded: number;
  /** established before the deploys (the informers' watches, an idle pool) */
  idle: number;
  /** most established at one sample (every 10 ms) */
  peak: number;
  /** distinct connections seen during the deploys that were not open before */
  opened: number;
  samples: number;
  wallMs: number;
}

/** `n` deploys (replicas 0) issued at once, each to `succeeded`; the deployer's connections sampled from /proc throughout. */
export async function connectionsUnderLoad(api: BosunApi, kube: Kube, deployer: App, ns: string, prefix: string, n: number): Promise<ConnectionFigure> {
  const port = kube.env.port;
  const idle = new Set(connectionsTo(deployer.pid, port));
  const seen = new Set<number>();
  let peak = idle.size;
  let samples = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const now = connectionsTo(deployer.pid, port);
        samples++;
        peak = Math.max(peak, now.length);
        now.filter((p) => !idle.has(p)).forEach((p) => seen.add(p));
      } catch { /* the process is gone: reported by the caller */ }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t0 = nowMs();
  const outcomes = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const { id } = await api.deploy(ns, `${prefix}-${i}`, 0);
    return (await api.terminal(id, 120_000)).status;
  }));
  const wallMs = nowMs() - t0;
  sampling = false;
  await sampler;
  return { deploys: n, succeeded: outcomes.filter((s) => s === 'succeeded').length, idle: idle.size, peak, opened: seen.size, samples, wallMs };
}

export interface FinalFailureFigure {
  /** 202 → `failed` on the operation's SSE stream, ms */
  acceptedToFailed: number[];
  /** what they failed with (code: message of the first) */
  errors: string[];
  /** the apiserver alone, over keep-alive HTTPS: SSA of a Deployment into a missing namespace, and GET of that namespace */
  apiserverApply: number[];
  apiserverGetNamespace: number[];
}

const missing = (i: number): string => `bench-missing-${Date.now().toString(36)}-${i}`;

/** `n` deploys into namespaces that do not exist, one at a time, then the same refusal asked of the apiserver directly. */
export async function finalFailures(api: BosunApi, kube: Kube, n: number): Promise<FinalFailureFigure> {
  const out: FinalFailureFigure = { acceptedToFailed: [], errors: [], apiserverApply: [], apiserverGetNamespace: [] };
  for (let i = 0; i < n; i++) {
    const { id, acceptedAt } = await api.deploy(missing(i), 'web', 0);
    const t = await api.terminal(id, 60_000);
    out.acceptedToFailed.push(t.at - acceptedAt);
    out.errors.push(`${t.status} ${t.error?.code ?? ''}: ${t.error?.message ?? ''}`);
  }
  for (let i = 0; i < n; i++) {
    const ns = missing(n + i);
    const m = manifestFor(ns, 'web', 0);
    let t0 = nowMs();
    await kube.request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web?fieldManager=${FIELD_MANAGER}&force=true`, m, 'application/apply-patch+yaml');
    out.apiserverApply.push(nowMs() - t0);
    t0 = nowMs();
    await kube.request('GET', `/api/v1/namespaces/${ns}`);
    out.apiserverGetNamespace.push(nowMs() - t0);
  }
  return out;
}

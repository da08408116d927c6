/**
 * Bosun as a user sees it: `POST /v1/deployments` → 202 with the operation, then the
 * operation's Server-Sent Events until its terminal state.
 */
import { isTerminal } from '@bosun/contracts';
import type { Operation } from '@bosun/contracts';
import { nowMs } from '../stats';

export interface Terminal { status: string; at: number; error?: { code: string; message: string } }

export class BosunApi {
  constructor(readonly url: string, private readonly token: string) {}

  /** POSTs one deploy; resolves with the operation id and when the 202 arrived. */
  async deploy(namespace: string, name: string, replicas: number): Promise<{ id: string; acceptedAt: number }> {
    const res = await fetch(`${this.url}/v1/deployments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ namespace, name, image: 'nginx:1.27', replicas }),
    });
    const body = (await res.json()) as Operation & { detail?: string };
    if (res.status !== 202) throw new Error(`POST /v1/deployments ${namespace}/${name} → ${res.status}: ${body.detail ?? JSON.stringify(body)}`);
    return { id: body.id, acceptedAt: nowMs() };
  }

  /** Follows `GET /v1/operations/{id}/events` until a terminal state (falls back to polling if the stream breaks). */
  async terminal(id: string, timeoutMs: number): Promise<Terminal> {
    const deadline = Date.now() + timeoutMs;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      const res = await fetch(`${this.url}/v1/operations/${id}/events`, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' }, signal: ac.signal });
      const op = res.ok && res.body ? await firstTerminal(res.body as unknown as AsyncIterable<Uint8Array>) : undefined;
      if (op) return { status: op.status, at: nowMs(), error: op.error as Terminal['error'] };
    } catch { /* fall through to polling */ } finally {
      clearTimeout(timer);
    }
    while (Date.now() < deadline) {
      const op = (await (await fetch(`${this.url}/v1/operations/${id}`, { headers: { authorization: `Bearer ${this.token}` } })).json()) as Operation;
      if (isTerminal(op.status)) return { status: op.status, at: nowMs(), error: op.error as Terminal['error'] };
      await new Promise((r) => setTimeout(r, 500));
    }
    return { status: 'timeout', at: nowMs(), error: { code: 'BenchTimeout', message: `not terminal within ${timeoutMs} ms` } };
  }
}

/** The first terminal state an operation's event stream shows (leaving the loop closes the stream). */
async function firstTerminal(body: AsyncIterable<Uint8Array>): Promise<Operation | undefined> {
  for await (const op of sseData<Operation>(body)) {
    if (isTerminal(op.status)) return op;
  }
  return undefined;
}

/** The `data:` payloads of a Server-Sent Events stream, parsed as JSON. */
async function* sseData<T>(body: AsyncIterable<Uint8Array>): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data) yield JSON.parse(data) as T;
    }
  }
}

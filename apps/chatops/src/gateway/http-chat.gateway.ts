import { Inject, Injectable } from '@nestjs/common';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { operationSchema } from '@bosun/contracts';
import type { Operation } from '@bosun/contracts';
import { ChatGateway } from './chat-gateway.port';
import type { ChatUser, GatewayCall, GatewayProblem, GatewayResult } from './chat-gateway.port';
import { SseParser } from './sse.parser';

/**
 * The gateway over HTTP, authenticated with the internal token and naming the chat user:
 * the gateway resolves the linked identity and runs the request as that subject.
 */
@Injectable()
export class HttpChatGateway extends ChatGateway {
  private readonly base: string;
  constructor(@Inject(BOSUN_CONFIG) private readonly config: BosunConfig) {
    super();
    this.base = config.gatewayUrl.replace(/\/+$/, '');
  }

  async call<T>(user: ChatUser, call: GatewayCall): Promise<GatewayResult<T>> {
    const hasBody = call.body !== undefined;
    try {
      const res = await fetch(`${this.base}${call.path}`, {
        method: call.method,
        headers: { ...this.headers(user), ...(hasBody ? { 'Content-Type': 'application/json' } : {}) },
        body: hasBody ? JSON.stringify(call.body) : undefined,
        signal: AbortSignal.timeout(call.timeoutMs),
        redirect: 'manual',
      });
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, value: (await readJson(res)) as T };
      return { ok: false, problem: await readProblem(res) };
    } catch (e) {
      return { ok: false, problem: transportProblem(e, call.timeoutMs) };
    }
  }

  async operationEvents(user: ChatUser, operationId: string, signal: AbortSignal): Promise<GatewayResult<AsyncIterable<Operation>>> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/v1/operations/${encodeURIComponent(operationId)}/events`, {
        headers: { ...this.headers(user), Accept: 'text/event-stream' }, signal, redirect: 'manual',
      });
    } catch (e) {
      return { ok: false, problem: transportProblem(e, 0) };
    }
    if (res.status !== 200 || !res.body) return { ok: false, problem: await readProblem(res) };
    return { ok: true, status: 200, value: operationsOf(res.body) };
  }

  private headers(user: ChatUser): Record<string, string> {
    return {
      Authorization: `Bearer ${this.config.internalToken ?? ''}`,
      'X-Bosun-Chat-Platform': user.platform,
      'X-Bosun-Chat-User': user.userId,
      Accept: 'application/json',
    };
  }
}

async function* operationsOf(body: ReadableStream<Uint8Array>): AsyncIterable<Operation> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    for (const ev of parser.push(decoder.decode(chunk, { stream: true }))) {
      if (ev.event !== 'operation') continue;
      const op = parseOperation(ev.data);
      if (op) yield op;
    }
  }
}

const parseOperation = (data: string): Operation | undefined => {
  try {
    const r = operationSchema.safeParse(JSON.parse(data));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
};

const readJson = async (res: Response): Promise<unknown> => {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

async function readProblem(res: Response): Promise<GatewayProblem> {
  const body = await readJson(res).catch(() => undefined);
  if (typeof body === 'object' && body !== null && 'title' in body) {
    const p = body as GatewayProblem;
    return { title: String(p.title), status: res.status, detail: p.detail, code: p.code, errors: p.errors };
  }
  const detail = typeof body === 'string' && body !== '' ? body.slice(0, 300) : `the Bosun API answered HTTP ${res.status}`;
  return { title: res.statusText || `HTTP ${res.status}`, status: res.status, detail };
}

function transportProblem(e: unknown, timeoutMs: number): GatewayProblem {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') {
    return { title: 'Gateway Timeout', status: 504, code: 'Timeout', transport: true, detail: `the Bosun API did not answer within ${timeoutMs} ms; the request may still complete, check with /bosun op` };
  }
  const why = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
  return { title: 'Service Unavailable', status: 503, code: 'Unavailable', transport: true, detail: `the Bosun API is unreachable (${why})` };
}

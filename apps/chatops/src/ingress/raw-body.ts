import type { Request, Response } from 'express';
import type { AuthOutcome, SignedRequest } from './request.authenticator';

/** The body exactly as received (express.raw put it there), for signatures; never re-serialised JSON. */
export const signedRequest = (req: Request): SignedRequest & { text: string } => {
  const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  return { rawBody, text: rawBody.toString('utf8'), header: (name) => req.headers[name.toLowerCase()] };
};

export const refuse = (res: Response, outcome: Extract<AuthOutcome, { ok: false }>): void => {
  if (outcome.status === 503) res.set('Retry-After', '5');
  res.status(outcome.status).json({ error: outcome.error, detail: outcome.detail });
};

/** A request that passed the signature but is not what the endpoint reads. */
export const badRequest = (res: Response, detail: string): void => {
  res.status(400).json({ response_type: 'ephemeral', text: `Bosun could not read this request: ${detail}` });
};

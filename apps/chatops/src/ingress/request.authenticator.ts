import { Inject, Injectable } from '@nestjs/common';
import { verifySlackSignature, verifyWebhookSignature, type HeaderValue, type ReplayGuard, type SignatureCheck } from '@bosun/chatops-domain';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { REPLAY_GUARD } from '../tokens';

export interface SignedRequest {
  rawBody: Buffer;
  header(name: string): HeaderValue;
}

export type AuthOutcome = { ok: true } | { ok: false; status: 401 | 503; error: string; detail: string };

export const CLOCK = Symbol('chatops.Clock');
export type Clock = () => number;

/**
 * The first thing every chat request meets: the signature over the raw body (constant
 * time, ±300 s) and then the replay guard, so one signed request is served at most once.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(REPLAY_GUARD) private readonly guard: ReplayGuard,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  slack(req: SignedRequest): Promise<AuthOutcome> {
    return this.admit('slack', verifySlackSignature({
      signingSecret: this.config.slackSigningSecret ?? '', timestamp: req.header('x-slack-request-timestamp'),
      signature: req.header('x-slack-signature'), rawBody: req.rawBody, now: this.clock(),
    }));
  }

  webhook(req: SignedRequest): Promise<AuthOutcome> {
    return this.admit('webhook', verifyWebhookSignature({
      secret: this.config.webhookSecret ?? '', timestamp: req.header('x-bosun-timestamp'),
      signature: req.header('x-bosun-signature'), rawBody: req.rawBody, now: this.clock(),
    }));
  }

  private async admit(source: string, check: SignatureCheck): Promise<AuthOutcome> {
    if (!check.ok) {
      this.logger.warn({ source, reason: check.reason, detail: check.detail }, 'chat request refused: signature');
      return { ok: false, status: 401, error: `signature_${check.reason.replace(/-/g, '_')}`, detail: check.detail };
    }
    let first: boolean;
    try {
      first = await this.guard.claim(check.replayKey, check.replayTtlSeconds);
    } catch (e) {
      // Fail closed: without the shared memory of served requests, a replay could not be told apart.
      this.logger.error({ source, err: (e as Error).message }, 'replay store unavailable; chat request refused');
      return { ok: false, status: 503, error: 'replay_store_unavailable', detail: 'Bosun cannot check for replays right now; try again shortly' };
    }
    if (!first) {
      this.logger.warn({ source, timestamp: check.timestamp }, 'chat request refused: replay');
      return { ok: false, status: 401, error: 'replayed', detail: 'this signed request was already received' };
    }
    return { ok: true };
  }
}

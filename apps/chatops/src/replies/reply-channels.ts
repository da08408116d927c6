import { Inject, Injectable } from '@nestjs/common';
import { checkResponseUrl } from '@bosun/chatops-domain';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { CHATOPS_OPTIONS } from '../tokens';
import type { ChatopsOptions } from '../chatops.options';
import { ChatGateway, NOT_LINKED, type ChatUser } from '../gateway/chat-gateway.port';
import { ReplyChannel } from './reply.channel';
import { ResponseUrlPoster } from './response-url.poster';

/** Where later messages can go: a channel, or why there is none (no URL, or one we refuse to fetch). */
export type OpenedChannel = { channel: ReplyChannel } | { channel?: undefined; missing: true } | { channel?: undefined; refused: string };

/** The gateway's route for what chatops refused on a chat user's behalf (it lands in the audit trail). */
export const CHAT_EVENTS_PATH = '/v1/audit/chat-events';

/**
 * Response URLs arrive in requests, so they are checked against the allow-list before
 * anything is sent; a refused URL is logged and audited (never the URL itself) and never
 * fetched (no request forgery through Bosun).
 */
@Injectable()
export class ReplyChannels {
  constructor(
    private readonly poster: ResponseUrlPoster,
    private readonly gateway: ChatGateway,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(CHATOPS_OPTIONS) private readonly options: ChatopsOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  /** `verb`: the command the URL came with, for the audit entry of a refusal. */
  open(responseUrl: string | undefined, who: ChatUser, verb?: string): OpenedChannel {
    if (!responseUrl) return { missing: true };
    const check = checkResponseUrl(responseUrl, this.config.chatResponseUrlAllowList);
    if (!check.ok) {
      // The URL itself is not logged: it may be a capability (Slack's are) or an attack string.
      this.logger.warn({ ...who, reason: check.reason, length: responseUrl.length }, 'response URL refused; nothing will be posted to it');
      this.audit(who, check.reason, verb);
      return { refused: check.reason };
    }
    return { channel: this.channel(check.url, 0) };
  }

  /**
   * The channel of a stored follow, `sent` posts into its budget; checked again, since the
   * allow-list may have changed since the URL was stored. Undefined when it no longer passes.
   */
  reopen(responseUrl: string, sent: number): ReplyChannel | undefined {
    const check = checkResponseUrl(responseUrl, this.config.chatResponseUrlAllowList);
    return check.ok ? this.channel(check.url, sent) : undefined;
  }

  private channel(url: string, sent: number): ReplyChannel {
    return new ReplyChannel(new URL(url).host, url, this.poster, this.options.maxPostsPerResponseUrl, sent);
  }

  /**
   * Recorded by the gateway as `chat.response-url.refused`, as the linked subject via chat; for
   * a user who is not linked the gateway refuses the call, and audits that refusal as
   * `chat:<platform>:<user>` (without the reason, which it never read).
   */
  private audit(user: ChatUser, reason: string, verb?: string): void {
    const body = { type: 'response-url.refused', reason: reason.slice(0, 300), ...(verb ? { verb } : {}) };
    void this.gateway.call(user, { method: 'POST', path: CHAT_EVENTS_PATH, body, timeoutMs: this.options.gatewayTimeoutMs }).then((r) => {
      if (!r.ok && r.problem.code !== NOT_LINKED) this.logger.warn({ ...user, status: r.problem.status, detail: r.problem.detail }, 'the refused response URL could not be audited');
    });
  }
}

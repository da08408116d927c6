import { Inject, Injectable } from '@nestjs/common';
import { checkResponseUrl } from '@bosun/chatops-domain';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { CHATOPS_OPTIONS } from '../tokens';
import type { ChatopsOptions } from '../chatops.options';
import { ReplyChannel } from './reply.channel';
import { ResponseUrlPoster } from './response-url.poster';

/** Where later messages can go: a channel, or why there is none (no URL, or one we refuse to fetch). */
export type OpenedChannel = { channel: ReplyChannel } | { channel?: undefined; missing: true } | { channel?: undefined; refused: string };

/**
 * Response URLs arrive in requests, so they are checked against the allow-list before
 * anything is sent; a refused URL is logged and never fetched (no request forgery through Bosun).
 */
@Injectable()
export class ReplyChannels {
  constructor(
    private readonly poster: ResponseUrlPoster,
    @Inject(BOSUN_CONFIG) private readonly config: BosunConfig,
    @Inject(CHATOPS_OPTIONS) private readonly options: ChatopsOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  open(responseUrl: string | undefined, who: { platform: string; userId: string }): OpenedChannel {
    if (!responseUrl) return { missing: true };
    const check = checkResponseUrl(responseUrl, this.config.chatResponseUrlAllowList);
    if (!check.ok) {
      // The URL itself is not logged: it may be a capability (Slack's are) or an attack string.
      this.logger.warn({ ...who, reason: check.reason, length: responseUrl.length }, 'response URL refused; nothing will be posted to it');
      return { refused: check.reason };
    }
    const host = new URL(check.url).host;
    return { channel: new ReplyChannel(host, check.url, this.poster, this.options.maxPostsPerResponseUrl) };
  }
}

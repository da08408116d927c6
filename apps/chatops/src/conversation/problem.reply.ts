import { renderError, renderNotLinked, type SlackMessage } from '@bosun/chatops-domain';
import { NOT_LINKED, type ChatUser, type GatewayProblem } from '../gateway/chat-gateway.port';

/**
 * A refused or failed gateway call in chat words. An unlinked user learns how to get
 * linked; a coded failure (Kubernetes' `Forbidden`, `Invalid`, our `Timeout`) keeps its
 * code so its hint shows; anything else reads as the HTTP problem it was.
 */
export const problemReply = (user: ChatUser, p: GatewayProblem): SlackMessage => {
  if (p.code === NOT_LINKED) return renderNotLinked(user.platform, user.userId);
  if (p.code && p.code !== 'Invalid') return renderError({ code: p.code, message: p.detail ?? p.title, fieldErrors: p.errors });
  return renderError({ title: p.title, status: p.status, detail: p.detail, errors: p.errors });
};

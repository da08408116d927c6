import { renderError, renderNotAnswering, renderNotLinked, type SlackMessage, type Verb } from '@bosun/chatops-domain';
import type { AppName } from '@bosun/contracts';
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

/**
 * The gateway answered, but the service behind the verb is not there: a route that is not
 * deployed (404 without a failure code: an unknown object is 404 `NotFound`), 501, or 503
 * (no service answers the subject). A gateway we cannot reach at all is another story.
 */
export const isNotAnswering = (p: GatewayProblem): boolean =>
  !p.transport && p.code !== NOT_LINKED && ((p.status === 404 && !p.code) || p.status === 501 || p.status === 503);

const reasonOf = (p: GatewayProblem): string => {
  const words = [p.code, p.detail ?? p.title].filter(Boolean).join(': ');
  return `HTTP ${p.status ?? '?'}${words ? ` ${words}` : ''}`.slice(0, 300);
};

/** `problemReply`, except that a service that is not answering is said so, naming it. */
export const serviceProblemReply = (user: ChatUser, owner: AppName, verb: Verb, p: GatewayProblem): SlackMessage =>
  owner !== 'gateway' && isNotAnswering(p) ? renderNotAnswering(owner, verb, reasonOf(p)) : problemReply(user, p);

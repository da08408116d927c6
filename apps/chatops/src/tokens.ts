/** DI tokens of the chatops app. */
export const CHATOPS_OPTIONS = Symbol('chatops.Options');
export const REPLAY_GUARD = Symbol('chatops.ReplayGuard');
/** The fail-fast Redis connection of request paths: the replay guard and the follow store. */
export const CHAT_REDIS = Symbol('chatops.ChatRedis');

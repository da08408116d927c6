/** DI tokens of the chatops app. */
export const CHATOPS_OPTIONS = Symbol('chatops.Options');
export const REPLAY_GUARD = Symbol('chatops.ReplayGuard');
export const REPLAY_REDIS = Symbol('chatops.ReplayRedis');

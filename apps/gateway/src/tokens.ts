/** DI tokens local to the gateway. */
export const STATE_REDIS = Symbol('gateway.StateRedis');

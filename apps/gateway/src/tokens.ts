/** DI tokens local to the gateway. */
export const STATE_REDIS = Symbol('gateway.StateRedis');
/** Tunables of the gateway's background work (defaults in each consumer); tests pass small values. */
export const GATEWAY_OPTIONS = Symbol('gateway.Options');

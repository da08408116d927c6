/** DI tokens of the shared runtime pieces every Bosun process gets. */
export const LOGGER = Symbol('bosun.Logger');
export const NATS = Symbol('bosun.NatsConnection');
export const REDIS = Symbol('bosun.Redis');

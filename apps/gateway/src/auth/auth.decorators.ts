import { SetMetadata } from '@nestjs/common';
import type { Role } from '@bosun/gateway-domain';

export const ROLE_KEY = 'bosun:role';
export const PUBLIC_KEY = 'bosun:public';
export const ACTION_KEY = 'bosun:action';

/** The least role a route needs. */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(ROLE_KEY, role);
/** No authentication (health, metrics, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
/** The audit action name of a mutating route, e.g. `deployment.deploy`. */
export const Action = (action: string): MethodDecorator => SetMetadata(ACTION_KEY, action);

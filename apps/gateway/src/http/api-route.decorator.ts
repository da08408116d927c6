import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';
import type { ServiceName } from '@bosun/contracts';

export const API_ROUTE_KEY = 'bosun:api-route';

/**
 * What the OpenAPI document says of a route beyond what Nest and the pipes already know.
 * The path, method, role, success status, body and query schemas are read from the route
 * itself (Nest's metadata, `@RequireRole`, `@HttpCode`, the `ZodBody`/`ZodQuery`/`ZodParams`
 * pipes); declare here only what the code cannot tell.
 */
export interface ApiRouteOptions {
  summary: string;
  tag: string;
  /** The service the route relays to: its typed failures (`FAILURE_HTTP_STATUS`), 503 when none answers, 504 too late. */
  service?: ServiceName;
  /** The route submits an operation: 202 + Location, Idempotency-Key, 409 on a reused key. */
  operation?: boolean;
  /** An operation route that also asks its service a question (a dry run): the service's typed failures too. */
  asks?: boolean;
  /** The operation kind(s) it submits (`deployment.deploy`), for approval policies. */
  kinds?: string[];
  /** Path parameters validated inside the handler (not by a `ZodParams` pipe). */
  params?: Record<string, z.ZodType>;
  /** Query parameters read without a `ZodQuery` pipe. */
  query?: z.ZodObject;
  /** The success status, when the handler sets it itself (otherwise `@HttpCode` or Nest's default). */
  status?: number;
  /** Extra answers, by status: their description. */
  responses?: Record<number, string>;
  /** The success body's media type when it is not JSON (`text/event-stream`, `text/plain`). */
  produces?: string;
}

/** Documents a route in `/openapi.json`; every route has one (a unit test makes sure). */
export const ApiRoute = (options: ApiRouteOptions): MethodDecorator => SetMetadata(API_ROUTE_KEY, options);

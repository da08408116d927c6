import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { ModulesContainer } from '@nestjs/core';
import type { z } from 'zod';
import type { Role } from '@bosun/gateway-domain';
import { ACTION_KEY, PUBLIC_KEY, ROLE_KEY } from '../auth/auth.decorators';
import { API_ROUTE_KEY } from '../http/api-route.decorator';
import type { ApiRouteOptions } from '../http/api-route.decorator';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { ZodParams } from '../http/zod-params.pipe';

/** Nest's RouteParamtypes for the arguments the document describes. */
const BODY = 3;
const QUERY = 4;
const PARAM = 5;

/** One route as Nest registered it, with what its decorators and pipes say. */
export interface DiscoveredRoute {
  /** lower-case HTTP method */
  method: string;
  /** OpenAPI template: `/v1/deployments/{ns}/{name}` */
  path: string;
  controller: Type;
  handlerName: string;
  role: Role | 'public';
  /** the `@Action` audit name, when the route declares one */
  action?: string;
  /** `@HttpCode`, when set */
  httpCode?: number;
  /** the `@ApiRoute` metadata; undefined is a route nobody documented (a test refuses it) */
  api?: ApiRouteOptions;
  body?: { schema: z.ZodType; required: boolean };
  /** query schemas: the `ZodQuery` pipes' and `@ApiRoute({query})` */
  query: z.ZodObject[];
  /** `@Query('name')` without a schema */
  queryNames: string[];
  /** path parameter schemas by name (a `ZodParams` pipe's shape or `@ApiRoute({params})`) */
  params: Record<string, z.ZodType>;
}

interface RouteArg { index: number; data?: unknown; pipes?: unknown[] }

const toArray = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : [v ?? '']);
/** Nest's path joining: segments without their slashes, `:name` as `{name}`. */
const joinPath = (...parts: string[]): string => {
  const path = `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
};

/** The schemas the route's own pipes validate with, read back from Nest's argument metadata. */
function pipeSchemas(controller: Type, handlerName: string): Pick<DiscoveredRoute, 'body' | 'query' | 'queryNames' | 'params'> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<string, RouteArg>;
  const out: Pick<DiscoveredRoute, 'body' | 'query' | 'queryNames' | 'params'> = { query: [], queryNames: [], params: {} };
  for (const [key, arg] of Object.entries(args)) {
    const type = Number(key.split(':')[0]);
    const pipes = arg.pipes ?? [];
    if (type === BODY) {
      const pipe = pipes.find((p): p is ZodBody<unknown> => p instanceof ZodBody);
      if (pipe) out.body = { schema: pipe['schema'], required: !pipe['options'].optional };
    } else if (type === QUERY) {
      const pipe = pipes.find((p): p is ZodQuery<unknown> => p instanceof ZodQuery);
      if (pipe) out.query.push(pipe['schema'] as z.ZodObject);
      else if (typeof arg.data === 'string') out.queryNames.push(arg.data);
    } else if (type === PARAM) {
      const pipe = pipes.find((p): p is ZodParams<z.ZodObject> => p instanceof ZodParams);
      if (pipe) Object.assign(out.params, pipe.schema.shape);
    }
  }
  return out;
}

function describe(controller: Type, handlerName: string, reflector: Reflector): DiscoveredRoute[] {
  const handler = (controller.prototype as Record<string, () => unknown>)[handlerName];
  const routePaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
  if (routePaths === undefined) return [];
  const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod].toLowerCase();
  const targets = [handler, controller];
  const role: Role | 'public' = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ? 'public' : (reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'admin');
  const api = reflector.get<ApiRouteOptions | undefined>(API_ROUTE_KEY, handler);
  const schemas = pipeSchemas(controller, handlerName);
  const common: Omit<DiscoveredRoute, 'path'> = {
    method, controller, handlerName, role, api, ...schemas,
    action: reflector.get<string | undefined>(ACTION_KEY, handler),
    httpCode: Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined,
    query: [...schemas.query, ...(api?.query ? [api.query] : [])],
    params: { ...api?.params, ...schemas.params },
  };
  const prefixes = toArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
  return prefixes.flatMap((prefix) => toArray(routePaths).map((p) => ({ ...common, path: joinPath(prefix, p) })));
}

/** Every HTTP route of the application, found through Nest's registry of controllers. */
export function discoverRoutes(modules: ModulesContainer): DiscoveredRoute[] {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const controllers = new Set<Type>();
  for (const wrapper of new DiscoveryService(modules).getControllers()) {
    if (wrapper.metatype) controllers.add(wrapper.metatype as Type);
  }
  return [...controllers].flatMap((c) => scanner.getAllMethodNames(c.prototype as object).flatMap((name) => describe(c, name, reflector)));
}

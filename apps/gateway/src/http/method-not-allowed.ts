import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendProblem } from './problem';

interface Template { path: string; pattern: RegExp; shape: string; methods: Set<string> }

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The methods of each path, from the routes Nest registered, matched the way OpenAPI matches
 * a URL to a path: a concrete segment before a templated one (`/deployments/{ns}/{name}/history`
 * before `/deployments/{ns}/{name}/{verb}`), case-insensitively and with an optional trailing
 * slash, as Express routes.
 */
export class MethodTable {
  /** Templates by segment count, most concrete shape first: a request tests only its own length. */
  private readonly bySegments = new Map<number, Template[]>();

  private constructor(templates: Template[]) {
    for (const t of [...templates].sort((a, b) => a.shape.localeCompare(b.shape))) {
      const list = this.bySegments.get(t.shape.length) ?? [];
      list.push(t);
      this.bySegments.set(t.shape.length, list);
    }
  }

  /** `routes`: lower-case method and OpenAPI path template (`/v1/tokens/{id}`). */
  static from(routes: readonly { method: string; path: string }[]): MethodTable {
    const byPath = new Map<string, Template>();
    for (const r of routes) {
      const segments = r.path.split('/').filter(Boolean);
      const t = byPath.get(r.path) ?? {
        path: r.path,
        pattern: new RegExp(`^/${segments.map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : escape(s))).join('/')}/?$`, 'i'),
        shape: segments.map((s) => (/^\{\w+\}$/.test(s) ? '1' : '0')).join(''),
        methods: new Set<string>(),
      };
      t.methods.add(r.method.toUpperCase());
      byPath.set(r.path, t);
    }
    return new MethodTable([...byPath.values()]);
  }

  /** The methods the path has (GET implies HEAD), or undefined when no route has this path. */
  allowed(path: string): string[] | undefined {
    const candidates = this.bySegments.get(path.split('/').filter(Boolean).length) ?? [];
    // Sorted by shape, so the first match is the most concrete; two templates of one shape both count.
    let best: string | undefined;
    const methods = new Set<string>();
    for (const t of candidates) {
      if (best !== undefined && t.shape !== best) break;
      if (!t.pattern.test(path)) continue;
      best = t.shape;
      for (const m of t.methods) methods.add(m);
    }
    if (best === undefined) return undefined;
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

/**
 * 405 with `Allow` for a method the path does not have, and `OPTIONS` answered with `Allow`
 * (RFC 9110), before the body is parsed or a guard runs. A path no route has falls through to
 * Nest's 404. `table` is read on the first request: routes are registered by then.
 */
export function methodNotAllowed(table: () => MethodTable): RequestHandler {
  let methods: MethodTable | undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    methods ??= table();
    const allowed = methods.allowed(req.path);
    if (!allowed || allowed.includes(req.method)) return next();
    const allow = [...allowed, 'OPTIONS'].join(', ');
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') return void res.status(204).end();
    sendProblem(res, { status: 405, detail: `${req.method} is not a method of ${req.path}; it has ${allow}` });
  };
}

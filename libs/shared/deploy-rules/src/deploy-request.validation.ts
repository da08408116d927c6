import type { DeployRequest, FieldError } from '@bosun/contracts';
import { parseImageReference } from './image-reference';
import { compareQuantities, parseQuantity, type Quantity } from '@bosun/quantity';
import { fieldError } from '@bosun/contracts';

// The checks the API server (or server-side apply, or the kubelet) would make that the
// contract's zod schema cannot express: cross-field rules and the image grammar. Paths use
// the same dotted form as the schema's errors (`ports.1.name`). Run after the schema passed.

/** The request apart from its env, whose values are checked by the schema alone (and arrive sealed in commands). */
type DeploySpec = Omit<DeployRequest, 'env'>;

/** IANA service name as Kubernetes checks it: ≤ 15, [a-z0-9-], a letter somewhere, no `--`, no edge `-`. */
const portNameErrors = (name: string, path: string): FieldError[] => {
  const problems: string[] = [];
  if (name.length > 15) problems.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems.map((p) => fieldError(path, `port name "${name}" ${p}`));
};

const portErrors = (ports: DeployRequest['ports'] = []): FieldError[] => {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const numbers = new Set<number>();
  ports.forEach((port, i) => {
    if (port.name !== undefined) {
      errors.push(...portNameErrors(port.name, `ports.${i}.name`));
      if (names.has(port.name)) errors.push(fieldError(`ports.${i}.name`, `Duplicate value: "${port.name}"`));
      names.add(port.name);
    }
    // The API server only warns here, but server-side apply keys container ports by
    // (containerPort, protocol) and refuses an applied list with the same key twice.
    if (numbers.has(port.containerPort)) {
      errors.push(fieldError(`ports.${i}.containerPort`, `Duplicate value: ${port.containerPort}/TCP`));
    }
    numbers.add(port.containerPort);
  });
  return errors;
};

type ResourceName = 'cpu' | 'memory';

const quantityAt = (text: string | undefined, path: string, errors: FieldError[]): Quantity | undefined => {
  if (text === undefined) return undefined;
  const parsed = parseQuantity(text, path);
  if (parsed.ok) return parsed.value;
  errors.push(...parsed.errors);
  return undefined;
};

/** requests ≤ limits for each resource (000:6302-6305, 000:5897-5898 for the units). */
const resourceErrors = (resources: DeployRequest['resources']): FieldError[] => {
  const errors: FieldError[] = [];
  for (const resource of ['cpu', 'memory'] as ResourceName[]) {
    const requestText = resources?.requests?.[resource];
    const limitText = resources?.limits?.[resource];
    const request = quantityAt(requestText, `resources.requests.${resource}`, errors);
    const limit = quantityAt(limitText, `resources.limits.${resource}`, errors);
    if (request === undefined || limit === undefined) continue;
    if (compareQuantities(request, limit) > 0) {
      errors.push(fieldError(`resources.requests.${resource}`, `Invalid value: "${requestText}": must be less than or equal to ${resource} limit of ${limitText}`));
    }
  }
  return errors;
};

/**
 * A named probe port must name one of the container's ports; the API server accepts any
 * well-formed name, and the kubelet then fails every probe, so the rollout never finishes.
 */
const probeErrors = (req: DeploySpec): FieldError[] => {
  const probe = req.readinessProbe;
  const handlers = [
    ['readinessProbe.httpGet.port', probe?.httpGet?.port],
    ['readinessProbe.tcpSocket.port', probe?.tcpSocket?.port],
  ] as const;
  const named = new Set((req.ports ?? []).map((p) => p.name).filter((n): n is string => n !== undefined));
  const errors: FieldError[] = [];
  for (const [path, port] of handlers) {
    if (typeof port !== 'string') continue;
    const formatErrors = portNameErrors(port, path);
    if (formatErrors.length > 0) errors.push(...formatErrors);
    else if (!named.has(port)) {
      const known = named.size > 0 ? [...named].join(', ') : 'none';
      errors.push(fieldError(path, `port "${port}" is not a named port of the container (named ports: ${known})`));
    }
  }
  return errors;
};

const percent = (v: number | string | undefined): number | undefined =>
  typeof v === 'string' && v.endsWith('%') ? Number(v.slice(0, -1)) : undefined;
const isZero = (v: number | string | undefined): boolean => v === 0 || percent(v) === 0;

/** 000:11247 and upstream's apps validation; the schema catches the literal spellings only. */
const strategyErrors = (strategy: DeployRequest['strategy']): FieldError[] => {
  if (strategy === undefined) return [];
  const errors: FieldError[] = [];
  if (strategy.type === 'Recreate' && (strategy.maxSurge !== undefined || strategy.maxUnavailable !== undefined)) {
    errors.push(fieldError('strategy', "rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"));
  }
  const unavailable = percent(strategy.maxUnavailable);
  if (unavailable !== undefined && unavailable > 100) {
    errors.push(fieldError('strategy.maxUnavailable', `Invalid value: "${strategy.maxUnavailable}": must not be greater than 100%`));
  }
  if (strategy.type !== 'Recreate' && isZero(strategy.maxSurge) && isZero(strategy.maxUnavailable)) {
    errors.push(fieldError('strategy.maxUnavailable', 'may not be 0 when `maxSurge` is 0'));
  }
  return errors;
};

/**
 * Every rule the API server (or the kubelet, for the image) would reject that the request
 * schema does not check; `[]` means the manifest from `buildDeploymentManifest` will apply.
 */
export const validateDeployRequest = (req: DeploySpec): FieldError[] => {
  const image = parseImageReference(req.image, 'image');
  return [
    ...(image.ok ? [] : image.errors),
    ...(req.replicas !== undefined && req.replicas < 0 ? [fieldError('replicas', 'must be greater than or equal to 0')] : []),
    ...portErrors(req.ports),
    ...resourceErrors(req.resources),
    ...probeErrors(req),
    ...strategyErrors(req.strategy),
  ];
};

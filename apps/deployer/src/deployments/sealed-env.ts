import { sealedEnvContext } from '@bosun/contracts';
import type { DeployCommandPayload, DeployRequest, FieldError } from '@bosun/contracts';
import { invalid, UnsealError } from '@bosun/service-kit';
import type { SecretBox } from '@bosun/service-kit';

type EnvValue = NonNullable<DeployRequest['env']>[string];
type Opened = { ok: true; value: EnvValue } | { ok: false; error: FieldError };

/**
 * The deploy command's env with its sealed values opened: what the manifest is built from, at
 * the moment it is applied, and nowhere else (never logged, returned, or kept). A value that
 * does not open (another BOSUN_ENCRYPTION_KEY than the gateway's, sealed for another
 * Deployment, altered) fails the operation naming the variable; Secret references pass as given.
 */
export function openSealedEnv(payload: DeployCommandPayload, cluster: string, box: SecretBox | undefined): DeployRequest {
  const { env, ...rest } = payload;
  if (!env) return rest;
  const target = { cluster, namespace: payload.namespace, name: payload.name };
  const opened: NonNullable<DeployRequest['env']> = {};
  const errors: FieldError[] = [];
  for (const [variable, value] of Object.entries(env)) {
    const r = 'valueFrom' in value ? { ok: true as const, value } : openOne(box, value.sealed, sealedEnvContext(target, variable), `env.${variable}`);
    if (r.ok) opened[variable] = r.value;
    else errors.push(r.error);
  }
  if (errors.length) throw invalid(errors, 'cannot open the sealed env values');
  return { ...rest, env: opened };
}

function openOne(box: SecretBox | undefined, sealed: string, context: string, path: string): Opened {
  if (!box) return { ok: false, error: { path, message: 'the deployer has no BOSUN_ENCRYPTION_KEY to open sealed values with' } };
  try {
    return { ok: true, value: box.open(sealed, context) };
  } catch (err) {
    if (!(err instanceof UnsealError)) throw err;
    return { ok: false, error: { path, message: `${err.message} (the gateway and the deployer must share BOSUN_ENCRYPTION_KEY)` } };
  }
}

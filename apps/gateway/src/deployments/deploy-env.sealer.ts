import { Inject, Injectable } from '@nestjs/common';
import { sealedEnvContext } from '@bosun/contracts';
import type { DeployCommandPayload, DeployRequest } from '@bosun/contracts';
import { BOSUN_CONFIG } from '@bosun/config';
import type { BosunConfig } from '@bosun/config';
import { SECRET_PURPOSES, SecretBox } from '@bosun/service-kit';
import { Problem } from '../http/problem';

/**
 * Seals a deploy's literal env values before anything is written or published: the
 * validation query, the command stream, the pending record, BullMQ and the dead-letter stream
 * then only ever hold ciphertext, bound to its cluster, Deployment and variable. Secret
 * references pass as given (the kubelet reads the Secret; Bosun never does).
 */
@Injectable()
export class DeployEnvSealer {
  private readonly box?: SecretBox;

  constructor(@Inject(BOSUN_CONFIG) config: BosunConfig) {
    this.box = SecretBox.optional(config.encryptionKey, SECRET_PURPOSES.sealedValues);
  }

  seal(req: DeployRequest, cluster: string): DeployCommandPayload {
    const { env, ...rest } = req;
    if (!env) return rest;
    const literal = Object.keys(env).filter((k) => typeof env[k] === 'string');
    if (literal.length && !this.box) {
      throw new Problem(503, 'Service Unavailable',
        'this gateway has no BOSUN_ENCRYPTION_KEY, so it cannot take literal env values (Bosun keeps them only sealed); use valueFrom.secretKeyRef, or give the gateway the deployer\'s BOSUN_ENCRYPTION_KEY',
        literal.map((k) => ({ path: `env.${k}`, message: 'a literal value needs BOSUN_ENCRYPTION_KEY on the gateway' })), 'Unavailable');
    }
    const target = { cluster, namespace: req.namespace, name: req.name };
    const sealed: NonNullable<DeployCommandPayload['env']> = {};
    for (const [variable, value] of Object.entries(env)) {
      sealed[variable] = typeof value === 'string' ? { sealed: this.box!.seal(value, sealedEnvContext(target, variable)) } : value;
    }
    return { ...rest, env: sealed };
  }
}

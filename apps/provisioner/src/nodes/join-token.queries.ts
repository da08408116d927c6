import { createHash, randomBytes } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { joinTokenRequestSchema, PROVISIONER_QUERIES, querySubject } from '@bosun/contracts';
import type { JoinTokenRequest, JoinTokenResponse } from '@bosun/contracts';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry, KubeObject } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import {
  apiServerEndpoint, bootstrapTokenSecret, discoveryTokenCaCertHash, generateBootstrapToken, joinCommand, tokenExpiration,
} from '@bosun/provisioner-domain';
import { LOGGER, OperationFailure, QueryContext, QueryHandler } from '@bosun/service-kit';
import { clusterAccess, clusterInfo } from '../kube/cluster-access.reader';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * `POST /v1/nodes/join-tokens` (201): a kubeadm bootstrap token as the Secret
 * `kube-system/bootstrap-token-<id>`, created as the asker (creating Secrets in kube-system
 * is an admin's right, and RBAC says so). The apiserver's bootstrap authenticator then takes
 * it as `system:bootstrap:<id>`, and the bootstrapsigner signs `kube-public/cluster-info`
 * for it; the join command pins the CA that cluster-info carries.
 */
@Controller()
export class JoinTokenQueries {
  constructor(@Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry, @Inject(LOGGER) private readonly logger: BosunLogger) {}

  @QueryHandler(querySubject('provisioner', PROVISIONER_QUERIES.joinToken), joinTokenRequestSchema)
  async create(@Payload() p: JoinTokenRequest, @Ctx() q: QueryContext): Promise<JoinTokenResponse> {
    const port = await this.registry.resolve(q.cluster);
    const now = new Date();
    const token = generateBootstrapToken((n) => randomBytes(n));
    await port.create(bootstrapTokenSecret(token, { now, ttlSeconds: p.ttlSeconds }) as unknown as KubeObject, { as: q.identity });
    const info = await clusterInfo(port);
    const access = info.server && info.caPem ? { server: info.server, caPem: info.caPem } : await clusterAccess(this.registry, port, q.cluster, 'kube-system');
    const hash = discoveryTokenCaCertHash(access.caPem, sha256);
    const endpoint = apiServerEndpoint(access.server);
    if (!hash.ok || !endpoint.ok) throw new OperationFailure('Internal', [...(hash.ok ? [] : hash.errors), ...(endpoint.ok ? [] : endpoint.errors)].map((e) => e.message).join('; '));
    this.logger.info({ cluster: q.cluster, tokenId: token.id, by: q.actor?.subject }, 'join token created');
    return { token: token.token, expiresAt: tokenExpiration(now, p.ttlSeconds), joinCommand: joinCommand(endpoint.value, token.token, hash.value) };
  }
}

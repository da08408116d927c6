import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { ownedReplicaSets } from '@bosun/deployer-domain';
import type { Deployment, ReplicaSet } from '@bosun/deployer-domain';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry, KubeObject, SharedInformer } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { HealthRegistry, LOGGER } from '@bosun/service-kit';
import type { ComponentHealth } from '@bosun/service-kit';
import type { CachedDeployments } from './deployment.mutations';
import type { RolloutSource } from './rollout.watch';

type DeploymentObject = KubeObject & Deployment;
type ReplicaSetObject = KubeObject & ReplicaSet;

const key = (namespace: string | undefined, name: string | undefined): string => `${namespace ?? ''}/${name ?? ''}`;

/** One cluster's two shared informers and who listens to which Deployment. */
class ClusterRollouts {
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    readonly deployments: SharedInformer<DeploymentObject>,
    readonly replicaSets: SharedInformer<ReplicaSetObject>,
  ) {
    deployments.onEvent((_type, d) => this.notify(key(d.metadata.namespace, d.metadata.name)));
    // A ReplicaSet change concerns the Deployment that controls it.
    replicaSets.onEvent((_type, rs) => {
      const owner = rs.metadata.ownerReferences?.find((o) => o.kind === 'Deployment' && o.controller !== false);
      if (owner) this.notify(key(rs.metadata.namespace, owner.name));
    });
    void deployments.start();
    void replicaSets.start();
  }

  source(namespace: string, name: string): RolloutSource {
    return {
      snapshot: () => {
        const deployment = this.deployments.get(namespace, name);
        // From the informer's controller index: what this Deployment controls, not a scan of every ReplicaSet.
        const uid = deployment?.metadata.uid;
        return { deployment, replicaSets: deployment && uid ? ownedReplicaSets(deployment, this.replicaSets.controlledBy(uid)) : [] };
      },
      subscribe: (onChange) => {
        const k = key(namespace, name);
        const set = this.listeners.get(k) ?? new Set();
        set.add(onChange);
        this.listeners.set(k, set);
        return () => {
          set.delete(onChange);
          if (set.size === 0) this.listeners.delete(k);
        };
      },
    };
  }

  /** The informers' Deployments, once both have listed (undefined before: read the apiserver instead). */
  cached(): CachedDeployments | undefined {
    if (!this.deployments.health().synced || !this.replicaSets.health().synced) return undefined;
    return {
      deployment: (namespace, name) => this.deployments.get(namespace, name),
      namespaceInUse: (namespace) => this.deployments.list(namespace).length > 0,
    };
  }

  health(): ComponentHealth {
    const problems = [this.deployments, this.replicaSets]
      .map((informer, i) => ({ what: i === 0 ? 'deployments' : 'replicasets', h: informer.health() }))
      .filter(({ h }) => !h.synced || h.lastError)
      .map(({ what, h }) => `${what}: ${h.lastError ?? 'not synced yet'}`);
    return problems.length ? { ok: false, detail: problems.join('; ') } : { ok: true, detail: `tracking ${this.listeners.size} deployments` };
  }

  private notify(k: string): void {
    for (const fn of [...(this.listeners.get(k) ?? [])]) fn();
  }
}

/**
 * Rollout tracking reads one shared Deployment informer and one ReplicaSet informer per
 * cluster (one watch connection each, all namespaces) that every operation shares: no
 * watch, and no polling, per rollout.
 */
@Injectable()
export class RolloutInformers implements OnModuleInit {
  private readonly clusters = new Map<string, ClusterRollouts>();

  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(LOGGER) private readonly logger: BosunLogger,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    // Started at boot, so the first rollout finds a warm cache and health shows a broken watch early.
    if (this.registry.has(this.registry.defaultName)) void this.forCluster(this.registry.defaultName);
    this.health.register('rollout-informers', () => this.healthOfAll());
  }

  /**
   * The rollout source of one Deployment. Not waiting for the first list is deliberate: until
   * it arrives the cache is empty (the tracker waits), and the list's ADDED events wake it up.
   */
  source(cluster: string, namespace: string, name: string): RolloutSource {
    return this.forCluster(cluster).source(namespace, name);
  }

  /** The cluster's cached Deployments, once its informers have listed. */
  cached(cluster: string): CachedDeployments | undefined {
    return this.forCluster(cluster).cached();
  }

  private forCluster(cluster: string): ClusterRollouts {
    const port = this.registry.get(cluster);
    const deployments = port.informer<DeploymentObject>({ apiVersion: 'apps/v1', kind: 'Deployment' });
    const existing = this.clusters.get(cluster);
    // The registry hands out a fresh informer after the old one was stopped (cluster re-added).
    if (existing && existing.deployments === deployments) return existing;
    const rollouts = new ClusterRollouts(deployments, port.informer<ReplicaSetObject>({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }));
    this.clusters.set(cluster, rollouts);
    this.logger.info({ cluster }, 'rollout informers started');
    return rollouts;
  }

  private healthOfAll(): ComponentHealth {
    const states = [...this.clusters.entries()].map(([cluster, r]) => ({ cluster, h: r.health() }));
    const bad = states.filter((s) => !s.h.ok);
    if (bad.length) return { ok: false, detail: bad.map((s) => `${s.cluster}: ${s.h.detail}`).join('; ') };
    return { ok: true, detail: states.map((s) => `${s.cluster}: ${s.h.detail}`).join('; ') };
  }
}

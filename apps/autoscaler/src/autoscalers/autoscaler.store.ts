import { Inject, Injectable } from '@nestjs/common';
import type { Actor, AutoscalerCondition, AutoscalerCreateRequest, DecisionView } from '@bosun/contracts';
import type { History, HpaInput } from '@bosun/autoscaler-domain';
import type { Redis } from '@bosun/messaging';
import { REDIS } from '@bosun/service-kit';

/** What a create stores: the request as validated (defaults applied), who asked, where. */
export interface AutoscalerDefinition {
  id: string;
  cluster: string;
  /** The creating subject: every scale is made as them. */
  actor: Pick<Actor, 'subject' | 'groups'>;
  request: AutoscalerCreateRequest;
  createdAt: string;
}

/** What the last evaluation left: the autoscaler view's live half and the algorithm's memory. */
export interface AutoscalerState {
  currentReplicas: number;
  desiredReplicas: number;
  lastScaleTime?: string;
  lastEvaluationAt?: string;
  metrics: { name: string; current?: string }[];
  conditions: Record<'AbleToScale' | 'ScalingActive' | 'ScalingLimited', AutoscalerCondition>;
  history?: History;
}

/** One evaluation as kept: the view the decisions query answers, and the inputs simulate replays. */
export interface StoredDecision { view: DecisionView; input: HpaInput; slot?: number }

/** How many decisions are kept per autoscaler (newest first). */
export const DECISIONS_KEPT = 500;

const KEY = {
  definitions: 'bosun:autoscaler:definitions',
  state: (id: string) => `bosun:autoscaler:state:${id}`,
  decisions: (id: string) => `bosun:autoscaler:decisions:${id}`,
  slot: (id: string, slot: number) => `bosun:autoscaler:tick:${id}:${slot}`,
  lease: (target: string) => `bosun:autoscaler:lease:${target}`,
  claim: (target: string) => `bosun:autoscaler:target:${target}`,
};

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Autoscalers in Redis (the kit's connection), durable across restarts and shared by replicas:
 * definitions in one hash, the last state per autoscaler, a capped list of decisions, a claim
 * per target (one autoscaler per workload), a short lease per target while it is evaluated and
 * a marker per scheduled tick (a slot is evaluated once, whichever replica runs it).
 */
@Injectable()
export class AutoscalerStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Stores a new definition unless its target is claimed already; answers the id holding the target when it is. */
  async create(def: AutoscalerDefinition, targetKey: string): Promise<string | undefined> {
    const claimed = await this.redis.set(KEY.claim(targetKey), def.id, 'NX');
    if (claimed !== 'OK') {
      const holder = await this.redis.get(KEY.claim(targetKey));
      if (holder && holder !== def.id && (await this.get(holder))) return holder;
      await this.redis.set(KEY.claim(targetKey), def.id);
    }
    await this.redis.hset(KEY.definitions, def.id, JSON.stringify(def));
    return undefined;
  }

  async get(id: string): Promise<AutoscalerDefinition | undefined> {
    const raw = await this.redis.hget(KEY.definitions, id);
    return raw ? (JSON.parse(raw) as AutoscalerDefinition) : undefined;
  }

  async list(): Promise<AutoscalerDefinition[]> {
    const all = await this.redis.hvals(KEY.definitions);
    return all.map((raw) => JSON.parse(raw) as AutoscalerDefinition).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async remove(id: string, targetKey: string): Promise<void> {
    await this.redis.multi().hdel(KEY.definitions, id).del(KEY.state(id), KEY.decisions(id)).eval(RELEASE, 1, KEY.claim(targetKey), id).exec();
  }

  async state(id: string): Promise<AutoscalerState | undefined> {
    const raw = await this.redis.get(KEY.state(id));
    return raw ? (JSON.parse(raw) as AutoscalerState) : undefined;
  }

  async saveState(id: string, state: AutoscalerState): Promise<void> {
    if (!(await this.redis.hexists(KEY.definitions, id))) return; // deleted meanwhile: leave nothing behind
    await this.redis.set(KEY.state(id), JSON.stringify(state));
  }

  async record(id: string, decision: StoredDecision): Promise<void> {
    await this.redis.multi().lpush(KEY.decisions(id), JSON.stringify(decision)).ltrim(KEY.decisions(id), 0, DECISIONS_KEPT - 1).exec();
  }

  async decisions(id: string, limit = DECISIONS_KEPT): Promise<StoredDecision[]> {
    return (await this.redis.lrange(KEY.decisions(id), 0, limit - 1)).map((raw) => JSON.parse(raw) as StoredDecision);
  }

  /** True once per scheduled slot: a redelivered or doubled job for the same slot is told apart. */
  async claimSlot(id: string, slot: number, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(KEY.slot(id, slot), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** A short lease on a target while one replica evaluates it (`SET NX PX`). */
  async lease(targetKey: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(KEY.lease(targetKey), holder, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async release(targetKey: string, holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, KEY.lease(targetKey), holder);
  }
}

/** `cluster/namespace/Kind/name`: the key of one workload. */
export const targetKey = (cluster: string, target: AutoscalerCreateRequest['target']): string => `${cluster}/${target.namespace}/${target.kind}/${target.name}`;

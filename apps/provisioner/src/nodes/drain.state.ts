import type { DrainBlock, DrainPlan, DrainResult } from '@bosun/contracts';
import { backoffDelay } from '@bosun/kube';
import { podKey } from '@bosun/provisioner-domain';
import type { PodObject } from './node.reader';

/** 429 back-off per pod: kubectl retries every 5 s; this starts at 1 s and doubles up to 10 s, jittered. */
const BLOCKED_BACKOFF = { baseMs: 1000, maxMs: 10_000, jitter: 0.3 };

/**
 * What a drain knows between rounds: pods whose eviction was accepted (by uid, so a
 * namesake is a new pod), pods gone, pods a budget holds now and when to ask again.
 */
export class DrainState {
  readonly evicted = new Map<string, string>();
  readonly gone = new Set<string>();
  /** Held by a budget right now, keyed by pod. */
  readonly blocked = new Map<string, DrainBlock>();
  /** Held at least once, even if it went later (reported on success). */
  readonly everBlocked = new Map<string, DrainBlock>();
  private readonly retries = new Map<string, { attempts: number; at: number }>();
  total = 0;

  /** Pods of the plan to evict now: not yet accepted, and past their back-off. */
  due(plan: DrainPlan, pods: readonly PodObject[], now: number): PodObject[] {
    const wanted = new Set(plan.evict);
    return pods.filter((p) => wanted.has(podKey(p)) && this.evicted.get(podKey(p)) !== p.metadata.uid && (this.retries.get(podKey(p))?.at ?? 0) <= now);
  }

  accepted(pod: PodObject): void {
    this.evicted.set(podKey(pod), pod.metadata.uid ?? '');
    this.blocked.delete(podKey(pod));
    this.retries.delete(podKey(pod));
  }

  /** Returns true when the refusal says something new (worth a progress event). */
  refused(block: DrainBlock, now: number): boolean {
    const before = this.blocked.get(block.pod);
    const attempts = (this.retries.get(block.pod)?.attempts ?? 0) + 1;
    this.retries.set(block.pod, { attempts, at: now + backoffDelay(attempts, BLOCKED_BACKOFF) });
    this.blocked.set(block.pod, block);
    this.everBlocked.set(block.pod, block);
    return before?.message !== block.message;
  }

  /** Pods we evicted that are no longer on the node; returns the newly gone. */
  sweep(pods: readonly PodObject[]): string[] {
    const present = new Set(pods.map((p) => `${podKey(p)}@${p.metadata.uid ?? ''}`));
    const newly = [...this.evicted].filter(([key, uid]) => !this.gone.has(key) && !present.has(`${key}@${uid}`)).map(([key]) => key);
    for (const key of newly) this.gone.add(key);
    return newly;
  }

  /** Evicted pods still on the node (Terminating). */
  leaving(): string[] {
    return [...this.evicted.keys()].filter((k) => !this.gone.has(k));
  }

  result(node: string, plan: DrainPlan, stillBlocked: boolean): DrainResult {
    const blocks = stillBlocked ? [...this.blocked.values()] : [...this.everBlocked.values()].map(({ pod, disruptionBudget }) => ({ pod, disruptionBudget }));
    return { node, evicted: [...this.gone].filter((k) => this.evicted.has(k)).sort(), blocked: blocks, skipped: plan.skip };
  }
}

/** `ns/pod by PodDisruptionBudget ns/pdb (needs 2 healthy pods, has 2)`, each blocked pod once. */
export const describeBlocks = (blocks: readonly DrainBlock[]): string =>
  blocks.map((b) => `${b.pod} by PodDisruptionBudget ${b.disruptionBudget || '(unknown)'} (needs ${b.needs} healthy pods, has ${b.has})`).join('; ');

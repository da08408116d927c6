import { isKubeError } from '@bosun/kube';
import type { KubeObject, KubePort, ObjectRef } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';

/** coordination.k8s.io/v1 Lease spec, as client-go's leaderelection writes it. */
interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
type Lease = KubeObject & { spec?: LeaseSpec };

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** This replica: unique per process and instance. */
  identity: string;
  durationSeconds: number;
}

/** MicroTime: the apiserver wants six fractional digits. */
const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * Leader election on a Lease, after client-go's leaderelection: the holder renews every third
 * of the duration; another replica takes over only once it has seen the same record unchanged
 * for a whole duration (its own clock, so clock skew between replicas does not matter). Every
 * write is conditional on the resourceVersion read, so two candidates never both win. Made as
 * Bosun's own account: this is the service's housekeeping, not anybody's request.
 */
export class LeaderLease {
  private leading = false;
  private renewedAt = 0;
  private observed?: { record: string; at: number };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly ref: ObjectRef;

  constructor(
    private readonly port: KubePort,
    private readonly opts: LeaseOptions,
    private readonly logger: BosunLogger,
    private readonly onChange: (leading: boolean) => void,
  ) {
    this.ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: opts.namespace, name: opts.name };
  }

  /** True while this replica holds the lease and renewed it within its duration. */
  get isLeader(): boolean {
    return this.leading && Date.now() - this.renewedAt < this.opts.durationSeconds * 1000;
  }

  start(): void {
    const tick = (): void => {
      this.running = this.round().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, (this.opts.durationSeconds * 1000) / 3);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops renewing and, when holding it, hands the lease back at once (client-go's ReleaseOnCancel). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    if (!this.leading) return;
    this.set(false);
    try {
      const live = await this.port.get<Lease>(this.ref);
      if (live?.spec?.holderIdentity !== this.opts.identity) return;
      const now = microTime(new Date());
      await this.port.patch(this.ref, { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: { holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now } }, 'merge');
    } catch (err) {
      this.logger.warn({ err }, 'could not release the leader lease; it expires by itself');
    }
  }

  private async round(): Promise<void> {
    try {
      this.set(await this.tryAcquireOrRenew());
    } catch (err) {
      if (!isKubeError(err, 'Conflict') && !isKubeError(err, 'AlreadyExists')) this.logger.warn({ err }, 'leader lease round failed');
      if (!this.isLeader) this.set(false);
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const live = await this.port.get<Lease>(this.ref);
    if (!live) {
      await this.port.create<Lease>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.opts.name, namespace: this.opts.namespace }, spec: this.record(now, now, 0) });
      return this.renewed();
    }
    const spec = live.spec ?? {};
    const mine = spec.holderIdentity === this.opts.identity;
    if (!mine && spec.holderIdentity && !this.expired(spec)) return false;
    const acquired = mine ? new Date(spec.acquireTime ?? now) : now;
    const transitions = (spec.leaseTransitions ?? 0) + (mine ? 0 : 1);
    await this.port.patch(this.ref, { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: this.record(now, acquired, transitions) }, 'merge');
    if (!mine) this.logger.info({ lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.opts.identity, from: spec.holderIdentity || undefined }, 'leader lease acquired');
    return this.renewed();
  }

  /** Expired when this replica has seen the same record for longer than its duration. */
  private expired(spec: LeaseSpec): boolean {
    const record = JSON.stringify(spec);
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
    return Date.now() - this.observed.at > (spec.leaseDurationSeconds ?? this.opts.durationSeconds) * 1000;
  }

  private record(now: Date, acquired: Date, transitions: number): LeaseSpec {
    return {
      holderIdentity: this.opts.identity, leaseDurationSeconds: this.opts.durationSeconds,
      acquireTime: microTime(acquired), renewTime: microTime(now), leaseTransitions: transitions,
    };
  }

  private renewed(): boolean {
    this.renewedAt = Date.now();
    return true;
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (!leading) this.logger.info({ identity: this.opts.identity }, 'leader lease lost');
    this.onChange(leading);
  }
}

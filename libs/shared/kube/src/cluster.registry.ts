import { KubeConfig } from '@kubernetes/client-node';
import type { BackoffOptions } from './backoff.policy';
import { ClientNodeKubeAdapter } from './client-node.adapter';
import { ClusterExistsError, DefaultClusterRemovalError, InvalidClusterNameError, UnknownClusterError } from './cluster.errors';
import { InMemoryClusterStore, type ClusterStore } from './cluster.store';
import { silentLogger, type KubeLogger } from './kube.logger';
import type { KubePort } from './kube.port';
import { sanitizeKubeconfig } from './kubeconfig.sanitizer';
import { kubectlSkew, type VersionSkew } from './version.skew';

export interface ClusterRegistryOptions {
  /** Trusted kubeconfig of the default cluster (Bosun's own configuration). */
  kubeconfigPath?: string;
  /** Name of the default cluster; `default` unless told. */
  defaultName?: string;
  /** Where clusters added through the API are kept; in memory unless told. */
  store?: ClusterStore;
  logger?: KubeLogger;
  /** kubectl client version that `describe` compares with each apiserver, e.g. `v1.36.3`. */
  kubectlVersion?: string;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  /** How long `describe` waits for `/version`. */
  describeTimeoutMs?: number;
}

/** What `GET /v1/clusters` shows; never credentials. */
export interface ClusterDescription {
  name: string;
  server: string;
  default: boolean;
  reachable: boolean;
  version?: string;
  skew?: VersionSkew;
  error?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The clusters Bosun acts on: the default one from a kubeconfig file plus those added at runtime. */
export class ClusterRegistry {
  private readonly clusters = new Map<string, ClientNodeKubeAdapter>();
  private readonly skipped = new Map<string, string>();
  private readonly store: ClusterStore;
  private readonly logger: KubeLogger;
  readonly defaultName: string;

  constructor(private readonly opts: ClusterRegistryOptions = {}) {
    this.store = opts.store ?? new InMemoryClusterStore();
    this.logger = opts.logger ?? silentLogger;
    this.defaultName = opts.defaultName ?? 'default';
    if (opts.kubeconfigPath) {
      const kc = new KubeConfig();
      kc.loadFromFile(opts.kubeconfigPath);
      this.register(this.defaultName, kc);
    }
  }

  /**
   * Loads the clusters kept in the store that this replica does not know yet (another
   * replica may have added them). A stored kubeconfig is sanitized again, since the store is
   * outside our trust; an entry that cannot be read (corrupt, or encrypted with another key)
   * is skipped and reported by `unreadable()`, never a reason to stop booting.
   */
  async restore(): Promise<void> {
    for (const name of await this.store.list()) {
      if (this.clusters.has(name)) continue;
      let yaml: string | undefined;
      try {
        yaml = await this.store.load(name);
      } catch (err) {
        this.skipped.set(name, `cannot be read: ${(err as Error)?.message ?? err}`);
        this.logger.warn({ cluster: name, err: (err as Error)?.message }, 'stored cluster cannot be read; skipped');
        continue;
      }
      const result = yaml === undefined ? undefined : sanitizeKubeconfig(yaml);
      if (!result?.ok) {
        this.skipped.set(name, `refused: ${result ? result.error.field : 'missing'}`);
        this.logger.warn({ cluster: name, field: result && !result.ok ? result.error.field : undefined }, 'stored cluster skipped');
        continue;
      }
      this.skipped.delete(name);
      this.register(name, this.kubeConfigOf(result.kubeconfig));
    }
  }

  /** Stored clusters that could not be loaded, with the reason. */
  unreadable(): Record<string, string> {
    return Object.fromEntries(this.skipped);
  }

  /** The port of a cluster, looking in the shared store first when this replica does not know it yet. */
  async resolve(name: string = this.defaultName): Promise<KubePort> {
    if (!this.clusters.has(name)) await this.restore();
    return this.get(name);
  }

  /** The port of one cluster (the default one when `name` is omitted). */
  get(name: string = this.defaultName): KubePort {
    const adapter = this.clusters.get(name);
    if (!adapter) {
      throw new UnknownClusterError(name);
    }
    return adapter;
  }

  has(name: string): boolean {
    return this.clusters.has(name);
  }

  names(): string[] {
    return [...this.clusters.keys()].sort();
  }

  /**
   * Registers a cluster from an untrusted kubeconfig. Rejects with
   * `KubeconfigRejectedError` (naming the field), `InvalidClusterNameError` or `ClusterExistsError`.
   */
  async add(name: string, kubeconfigYaml: string): Promise<{ name: string; server: string }> {
    if (typeof name !== 'string' || name.length > 63 || !DNS_LABEL.test(name)) {
      throw new InvalidClusterNameError(String(name));
    }
    if (this.clusters.has(name) || name === this.defaultName) {
      throw new ClusterExistsError(name);
    }
    const result = sanitizeKubeconfig(kubeconfigYaml);
    if (!result.ok) {
      this.logger.warn({ cluster: name, field: result.error.field }, 'kubeconfig rejected');
      throw result.error;
    }
    // Registered before the await so a concurrent add of the same name fails fast.
    this.register(name, this.kubeConfigOf(result.kubeconfig));
    try {
      await this.store.save(name, JSON.stringify(result.kubeconfig));
    } catch (err) {
      this.unregister(name);
      throw err;
    }
    this.logger.info({ cluster: name, server: result.server }, 'cluster added');
    return { name, server: result.server };
  }

  async remove(name: string): Promise<void> {
    if (name === this.defaultName && this.clusters.has(name)) {
      throw new DefaultClusterRemovalError(name);
    }
    if (!this.clusters.has(name)) {
      throw new UnknownClusterError(name);
    }
    await this.store.remove(name);
    this.unregister(name);
    this.logger.info({ cluster: name }, 'cluster removed');
  }

  /** Server, reachability, version and kubectl skew of one cluster. */
  async describe(name: string, kubectlVersion = this.opts.kubectlVersion): Promise<ClusterDescription> {
    const adapter = this.clusters.get(name);
    if (!adapter) {
      throw new UnknownClusterError(name);
    }
    const base = { name, server: adapter.server, default: name === this.defaultName };
    try {
      const v = await adapter.serverVersion({ signal: AbortSignal.timeout(this.opts.describeTimeoutMs ?? 5_000) });
      const skew = kubectlVersion ? kubectlSkew(kubectlVersion, v) : undefined;
      return { ...base, reachable: true, version: v.gitVersion, skew };
    } catch (err) {
      return { ...base, reachable: false, error: (err as Error).message };
    }
  }

  describeAll(kubectlVersion?: string): Promise<ClusterDescription[]> {
    return Promise.all(this.names().map((n) => this.describe(n, kubectlVersion)));
  }

  /** Stops every informer of every cluster. */
  close(): void {
    for (const adapter of this.clusters.values()) {
      adapter.close();
    }
  }

  private kubeConfigOf(sanitized: object): KubeConfig {
    const kc = new KubeConfig();
    // JSON is YAML; the sanitized document holds inline data only, so loading reads no files.
    kc.loadFromString(JSON.stringify(sanitized));
    return kc;
  }

  private register(name: string, kc: KubeConfig): void {
    const adapter = new ClientNodeKubeAdapter({
      kubeConfig: kc,
      cluster: name,
      logger: this.logger,
      backoff: this.opts.backoff,
      requestTimeoutMs: this.opts.requestTimeoutMs,
    });
    this.clusters.set(name, adapter);
  }

  private unregister(name: string): void {
    this.clusters.get(name)?.close();
    this.clusters.delete(name);
  }
}

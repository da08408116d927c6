/**
 * Where clusters added at runtime are kept. Implementations hold credentials and must
 * treat the kubeconfig as a secret (encrypted at rest, never logged).
 */
export interface ClusterStore {
  save(name: string, kubeconfigYaml: string): Promise<void>;
  load(name: string): Promise<string | undefined>;
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
}

/** For tests and single-process setups: lost on restart. */
export class InMemoryClusterStore implements ClusterStore {
  private readonly entries = new Map<string, string>();

  async save(name: string, kubeconfigYaml: string): Promise<void> {
    this.entries.set(name, kubeconfigYaml);
  }

  async load(name: string): Promise<string | undefined> {
    return this.entries.get(name);
  }

  async list(): Promise<string[]> {
    return [...this.entries.keys()].sort();
  }

  async remove(name: string): Promise<void> {
    this.entries.delete(name);
  }
}

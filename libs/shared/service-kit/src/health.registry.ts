import { Injectable } from '@nestjs/common';

/** Components reported but not counted against readiness: a cluster being away, a stored cluster that cannot be read. */
export const ADVISORY_COMPONENTS: readonly string[] = ['kubernetes', 'stored-clusters'];

export interface ComponentHealth { ok: boolean; detail?: string }
type Probe = () => ComponentHealth | Promise<ComponentHealth>;

/** Components register a probe; ping replies and /readyz read them all. */
@Injectable()
export class HealthRegistry {
  private readonly probes = new Map<string, Probe>();

  register(name: string, probe: Probe): void {
    this.probes.set(name, probe);
  }

  async check(): Promise<Record<string, ComponentHealth>> {
    const out: Record<string, ComponentHealth> = {};
    for (const [name, probe] of this.probes) {
      try {
        out[name] = await Promise.race([
          Promise.resolve(probe()),
          new Promise<ComponentHealth>((r) => setTimeout(() => r({ ok: false, detail: 'health probe timed out' }), 1500)),
        ]);
      } catch (e) {
        out[name] = { ok: false, detail: String((e as Error)?.message ?? e) };
      }
    }
    return out;
  }
}

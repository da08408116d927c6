import type { CreateClaimRequest, CreateVolumeRequest, ExpandClaimPayload, SetDefaultClassRequest, StorageAction, VolumeRef } from '@bosun/contracts';
import { invalid } from '@bosun/service-kit';
import { actionOf, parseCommand } from '../common/command.rules';
import { checkClaimAdmission, checkDefaultClass, checkExpansion, checkNewClaim, checkNewVolume, checkRelease } from '../common/storage.checks';
import type { StorageRepository } from '../common/storage.repository';

/**
 * What the gateway asks before it accepts a storage operation, so that a request that cannot
 * work is refused at once (422 naming the field, 404, 409) instead of becoming an operation
 * that fails: the schema and rules, then the same cluster checks the operation makes — as the
 * asking actor, so what they may not read is Forbidden here too. Throws the typed failure.
 */
export class OperationValidator {
  constructor(private readonly repo: StorageRepository) {}

  async validate(kind: string, payload: unknown): Promise<void> {
    const action = actionOf(kind);
    if (!action) throw invalid([{ path: 'kind', message: `unknown storage operation "${kind}"` }], 'invalid storage command');
    const parsed = parseCommand(action, payload);
    if (!parsed.ok) throw invalid(parsed.errors, `invalid ${action} command`);
    await this.againstCluster(action, parsed.value);
  }

  private async againstCluster(action: StorageAction, payload: unknown): Promise<void> {
    switch (action) {
      case 'create-claim': {
        const p = payload as CreateClaimRequest;
        checkNewClaim(p, await this.repo.claim(p.namespace, p.name));
        return checkClaimAdmission(this.repo, p);
      }
      case 'create-volume': {
        const p = payload as CreateVolumeRequest;
        return checkNewVolume(p, await this.repo.volume(p.name));
      }
      case 'expand-claim': {
        const p = payload as ExpandClaimPayload;
        await checkExpansion(this.repo, await this.repo.requireClaim(p.namespace, p.name), p.size);
        return;
      }
      case 'release-volume':
        await checkRelease(this.repo, await this.repo.requireVolume((payload as VolumeRef).name));
        return;
      case 'patch-volume':
        await this.repo.requireVolume((payload as VolumeRef).name);
        return;
      case 'set-default-class':
        await checkDefaultClass(this.repo, payload as SetDefaultClassRequest);
    }
  }
}

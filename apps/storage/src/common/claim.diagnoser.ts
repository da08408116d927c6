import type { ClaimDiagnosis } from '@bosun/contracts';
import { diagnoseClaim } from '@bosun/storage-domain';
import type { PersistentVolumeClaim } from '@bosun/storage-domain';
import type { StorageRepository } from './storage.repository';

/** Everything a claim's diagnosis reads, read as the repository's identity, then the domain's verdict. */
export const diagnose = async (repo: StorageRepository, claim: PersistentVolumeClaim): Promise<ClaimDiagnosis> => {
  const namespace = claim.metadata?.namespace ?? 'default';
  const [volumes, classes, pods, events, nodes] = await Promise.all([
    repo.volumes(), repo.classes(), repo.pods(namespace), repo.claimEvents(namespace, claim.metadata?.name ?? ''),
    // Nodes are cluster-scoped: a namespace user may not list them; the diagnosis then assumes their hostname labels.
    repo.nodes().catch(() => []),
  ]);
  return diagnoseClaim({ claim, volumes, classes, pods, events, nodes });
};

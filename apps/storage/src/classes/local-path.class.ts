import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { CLUSTER_REGISTRY } from '@bosun/kube';
import type { ClusterRegistry, KubePort } from '@bosun/kube';
import type { BosunLogger } from '@bosun/logging';
import { LOGGER } from '@bosun/service-kit';
import { defaultClassState, KEYS, LOCAL_PATH_PROVISIONER } from '@bosun/storage-domain';
import { StorageRepository, classRef } from '../common/storage.repository';
import type { ClassObject } from '../common/storage.repository';
import { STORAGE_OPTIONS } from '../storage.options';
import type { StorageOptions } from '../storage.options';

export const LOCAL_PATH_CLASS = 'local-path';

/** The class `npm run up` promises (API.md): local-path volumes, WaitForFirstConsumer, Delete, expandable. */
export const localPathClass = (makeDefault: boolean): ClassObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: LOCAL_PATH_CLASS, ...(makeDefault ? { annotations: { [KEYS.isDefaultClass]: 'true' } } : {}) },
  provisioner: LOCAL_PATH_PROVISIONER,
  volumeBindingMode: 'WaitForFirstConsumer',
  reclaimPolicy: 'Delete',
  allowVolumeExpansion: true,
});

/**
 * At boot, as Bosun's own account (housekeeping, not anybody's request): the `local-path`
 * class exists, and is the default only when the cluster has none. An existing class is left
 * as it is (its provisioner and modes are immutable, and an admin may have changed the
 * default on purpose); two marked defaults are a human's mess to sort out, not ours.
 */
@Injectable()
export class LocalPathClass implements OnApplicationBootstrap {
  constructor(
    @Inject(CLUSTER_REGISTRY) private readonly registry: ClusterRegistry,
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    @Inject(LOGGER) private readonly logger: BosunLogger,
  ) {}

  private ensured = false;

  async onApplicationBootstrap(): Promise<void> {
    // Nest runs the hooks again for the kit's connected microservice (same container): once is enough.
    if (this.ensured || !this.options.ensureLocalPathClass || !this.registry.has(this.registry.defaultName)) return;
    this.ensured = true;
    try {
      await ensureLocalPathClass(this.registry.get(), this.logger);
    } catch (err) {
      // Never a reason not to boot: the class can be made by hand, and the next boot tries again.
      this.logger.warn({ err }, 'could not ensure the local-path StorageClass');
    }
  }
}

export const ensureLocalPathClass = async (port: KubePort, logger: BosunLogger): Promise<'created' | 'marked-default' | 'present'> => {
  const repo = new StorageRepository(port, undefined);
  const classes = await repo.classes();
  const noDefault = defaultClassState(classes).marked.length === 0;
  const live = classes.find((c) => c.metadata.name === LOCAL_PATH_CLASS);
  if (!live) {
    await port.apply(localPathClass(noDefault));
    logger.info({ default: noDefault }, 'local-path StorageClass created');
    return 'created';
  }
  if (!noDefault) return 'present';
  await port.patch(classRef(LOCAL_PATH_CLASS), { metadata: { annotations: { [KEYS.isDefaultClass]: 'true' } } }, 'merge');
  logger.info({}, 'local-path StorageClass made the default: the cluster had none');
  return 'marked-default';
};

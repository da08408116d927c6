/** An untrusted kubeconfig was refused; `field` names the offending path, e.g. `users[0].user.exec`. */
export class KubeconfigRejectedError extends Error {
  override readonly name = 'KubeconfigRejectedError';

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export class UnknownClusterError extends Error {
  override readonly name = 'UnknownClusterError';

  constructor(readonly cluster: string) {
    super(`cluster "${cluster}" is not registered`);
  }
}

export class ClusterExistsError extends Error {
  override readonly name = 'ClusterExistsError';

  constructor(readonly cluster: string) {
    super(`cluster "${cluster}" is already registered`);
  }
}

export class InvalidClusterNameError extends Error {
  override readonly name = 'InvalidClusterNameError';

  constructor(readonly cluster: string) {
    super(`cluster name "${cluster}" must be a DNS-1123 label ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters)`);
  }
}

export class DefaultClusterRemovalError extends Error {
  override readonly name = 'DefaultClusterRemovalError';

  constructor(readonly cluster: string) {
    super(`cluster "${cluster}" comes from Bosun's own configuration and cannot be removed`);
  }
}

export interface VersionSkew {
  kubectlClient: string;
  withinOneMinor: boolean;
}

/** `v1.36.3`, `1.36`, `v1.36.0-rc.1+abc` → {major: 1, minor: 36}; undefined when unparseable. */
export function parseMajorMinor(version: string): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** The apiserver's `/version` major/minor, which some providers suffix (`"27+"`). */
export function serverMajorMinor(v: { major: string; minor: string; gitVersion: string }): { major: number; minor: number } | undefined {
  const major = parseInt(v.major, 10);
  const minor = parseInt(v.minor, 10);
  return Number.isNaN(major) || Number.isNaN(minor) ? parseMajorMinor(v.gitVersion) : { major, minor };
}

/**
 * kubectl is supported within one minor version (older or newer) of the apiserver.
 * https://kubernetes.io/releases/version-skew-policy/#kubectl
 */
export function kubectlSkew(kubectlClient: string, server: { major: string; minor: string; gitVersion: string }): VersionSkew {
  const client = parseMajorMinor(kubectlClient);
  const srv = serverMajorMinor(server);
  const withinOneMinor = !!client && !!srv && client.major === srv.major && Math.abs(client.minor - srv.minor) <= 1;
  return { kubectlClient, withinOneMinor };
}

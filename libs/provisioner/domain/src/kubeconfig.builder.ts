import { encodeBase64Text } from './base64.codec';

// A kubeconfig for one tenant credential: one cluster, one token user, one context that
// selects the tenant's namespace (000:15594-15855 for the layout, 004:5250-5254 for the steps).

export interface KubeconfigInput {
  /** The cluster's entry name, e.g. Bosun's cluster name. */
  clusterName: string;
  /** The API server URL (`https://10.0.2.2:6443`). */
  server: string;
  /** The cluster CA as PEM; embedded base64 as `certificate-authority-data`. */
  caPem: string;
  /** The tenant namespace the context selects. */
  namespace: string;
  /** The user entry name, e.g. `team-a-edit`. */
  userName: string;
  /** The bearer token (a TokenRequest's `status.token`). */
  token: string;
  /** When the token stops working; written as a comment, since kubeconfig has no field for it. */
  expiresAt?: string;
  /** Defaults to `<userName>@<clusterName>`. */
  contextName?: string;
}

/** A YAML scalar that is always a string: JSON's double-quoted form is valid YAML. */
const str = (value: string): string => JSON.stringify(value);

/**
 * The kubeconfig as YAML text, inline credentials only (no file references), ready for
 * `kubectl --kubeconfig`: `current-context` is the tenant's context. Pure: the caller
 * supplies the server, CA, token and expiry.
 */
export const buildKubeconfig = (input: KubeconfigInput): string => {
  const context = input.contextName ?? `${input.userName}@${input.clusterName}`;
  const lines = [
    ...(input.expiresAt ? [`# token expires at ${input.expiresAt}`] : []),
    'apiVersion: v1',
    'kind: Config',
    'preferences: {}',
    'clusters:',
    `- name: ${str(input.clusterName)}`,
    '  cluster:',
    `    server: ${str(input.server)}`,
    `    certificate-authority-data: ${str(encodeBase64Text(input.caPem))}`,
    'users:',
    `- name: ${str(input.userName)}`,
    '  user:',
    `    token: ${str(input.token)}`,
    'contexts:',
    `- name: ${str(context)}`,
    '  context:',
    `    cluster: ${str(input.clusterName)}`,
    `    namespace: ${str(input.namespace)}`,
    `    user: ${str(input.userName)}`,
    `current-context: ${str(context)}`,
  ];
  return `${lines.join('\n')}\n`;
};

import type { Actor } from '@bosun/contracts';
import type { Identity } from '@bosun/kube';

/**
 * Kubernetes has no "act as a group" without a user (`Impersonate-Group` requires
 * `Impersonate-User`), so a `group:` subject acts as this synthetic user plus the group:
 * RBAC bound to the group applies, and nothing bound to a real user does.
 */
export const GROUP_SUBJECT_USER_PREFIX = 'bosun:group:';

/**
 * The Kubernetes identity an operation's subject is impersonated as. Bosun subjects carry a
 * type prefix; Kubernetes users are plain names:
 * - `user:alice` → user `alice`;
 * - `serviceaccount:ns:sa` → user `system:serviceaccount:ns:sa` with the groups the apiserver
 *   gives service accounts (`system:serviceaccounts`, `system:serviceaccounts:ns`), so bindings
 *   written for either apply;
 * - `group:ops` → user `bosun:group:ops` in group `ops`;
 * - anything else passes through unchanged (RBAC then decides, usually Forbidden).
 * The actor's own groups are added; the apiserver adds `system:authenticated` itself.
 */
export const kubernetesIdentity = (actor: Pick<Actor, 'subject' | 'groups'>): Identity => {
  const own = [...(actor.groups ?? [])];
  const { subject } = actor;
  if (subject.startsWith('user:')) return { user: subject.slice('user:'.length), groups: own };
  if (subject.startsWith('group:')) {
    const group = subject.slice('group:'.length);
    return { user: `${GROUP_SUBJECT_USER_PREFIX}${group}`, groups: unique([group, ...own]) };
  }
  if (subject.startsWith('serviceaccount:')) {
    const [namespace] = subject.slice('serviceaccount:'.length).split(':');
    return {
      user: `system:serviceaccount:${subject.slice('serviceaccount:'.length)}`,
      groups: unique(['system:serviceaccounts', `system:serviceaccounts:${namespace}`, ...own]),
    };
  }
  return { user: subject, groups: own };
};

const unique = (xs: string[]): string[] => [...new Set(xs)];

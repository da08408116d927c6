import type { Actor } from '@bosun/contracts';
import type { Identity } from '@bosun/kube';

/**
 * The Kubernetes user an operation's subject is impersonated as. Bosun subjects carry a
 * type prefix; Kubernetes users are plain names, and a service account is spelled the way
 * the apiserver authenticates it, so RBAC bindings written for it apply:
 * `user:alice` → `alice`, `serviceaccount:ns:sa` → `system:serviceaccount:ns:sa`.
 * Anything else is passed through unchanged (RBAC then decides, usually Forbidden).
 * Groups are passed as given; the apiserver adds `system:authenticated` itself.
 */
export const kubernetesIdentity = (actor: Pick<Actor, 'subject' | 'groups'>): Identity => ({
  user: kubernetesUser(actor.subject),
  groups: [...(actor.groups ?? [])],
});

export const kubernetesUser = (subject: string): string => {
  if (subject.startsWith('user:')) return subject.slice('user:'.length);
  if (subject.startsWith('serviceaccount:')) return `system:serviceaccount:${subject.slice('serviceaccount:'.length)}`;
  return subject;
};

import { DNS1123_LABEL } from '@bosun/contracts';
import type { Subject } from 'kubernetes-types/rbac/v1';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/** An RBAC subject with the fields a RoleBinding needs (a `Subject` of rbac/v1). */
export interface RbacSubject extends Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
}

/** DNS-1123 subdomain, built from the one label rule: dot-separated labels, ≤ 253 in all. */
const isSubdomain = (name: string): boolean => name.length <= 253 && name.split('.').every((part) => DNS1123_LABEL.test(part));

const serviceAccountSubject = (rest: string, subject: string, path: string): Result<RbacSubject> => {
  const [namespace, name, ...extra] = rest.split(':');
  if (extra.length > 0 || namespace === undefined || name === undefined) {
    return fail([fieldError(path, `subject "${subject}" must look like serviceaccount:NAMESPACE:NAME`)]);
  }
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    return fail([fieldError(path, `subject "${subject}": namespace "${namespace}" must be a DNS-1123 label`)]);
  }
  if (!isSubdomain(name)) {
    return fail([fieldError(path, `subject "${subject}": service account name "${name}" must be a DNS-1123 subdomain`)]);
  }
  return ok({ kind: 'ServiceAccount', name, namespace });
};

/**
 * Maps a Bosun subject to the Kubernetes identity RBAC sees: `user:alice` → User `alice`,
 * `group:devs` → Group `devs`, `serviceaccount:ns:sa` → ServiceAccount `sa` in `ns`
 * (whose user name is `system:serviceaccount:ns:sa`, 004:5583-5880).
 */
export const toRbacSubject = (subject: string, path = 'subject'): Result<RbacSubject> => {
  const colon = subject.indexOf(':');
  const prefix = colon < 0 ? '' : subject.slice(0, colon);
  const rest = colon < 0 ? '' : subject.slice(colon + 1);
  if (prefix === 'serviceaccount') return serviceAccountSubject(rest, subject, path);
  if ((prefix === 'user' || prefix === 'group') && rest.length > 0 && !/\s/.test(rest)) {
    return ok({ kind: prefix === 'user' ? 'User' : 'Group', apiGroup: RBAC_API_GROUP, name: rest });
  }
  return fail([fieldError(path, `subject "${subject}" must look like user:NAME, group:NAME or serviceaccount:NAMESPACE:NAME`)]);
};

/** The user name Kubernetes gives a service account's tokens. */
export const serviceAccountUser = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

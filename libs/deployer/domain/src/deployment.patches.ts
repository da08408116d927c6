import type { FieldError } from '@bosun/contracts';
import { parseImageReference } from '@bosun/deploy-rules';
import { ANNOTATIONS, type Deployment } from './kube-types';
import { fail, fieldError, ok, type Result } from '@bosun/contracts';

/**
 * A patch body and how to send it: `strategic` merges lists by their key (containers by
 * name), `merge` is RFC 7386, `json` is RFC 6902 (000:11113-11351).
 */
export type DeploymentPatch =
  | { type: 'strategic'; body: Record<string, unknown> }
  | { type: 'merge'; body: Record<string, unknown> }
  | { type: 'json'; body: { op: 'replace' | 'add' | 'remove' | 'test'; path: string; value?: unknown }[] };

export interface SetImagePlan {
  patch: DeploymentPatch;
  container: string;
  previousImage?: string;
  /** false when the container already runs this exact image: the patch makes no new revision (004:1344). */
  changed: boolean;
  /** things people should know that are not errors. */
  warnings: string[];
}

const containerNames = (d: Deployment): string[] => d.spec?.template.spec?.containers.map((c) => c.name) ?? [];

/**
 * Which container `set image` means: the one asked for; else the one named after the
 * Deployment (that is how we build them); else the only one.
 */
const pickContainer = (d: Deployment, wanted: string | undefined): Result<string> => {
  const names = containerNames(d);
  const deployment = d.metadata?.name ?? '';
  if (wanted !== undefined) {
    return names.includes(wanted)
      ? ok(wanted)
      : fail([fieldError('container', `container "${wanted}" not found in deployment "${deployment}" (containers: ${names.join(', ') || 'none'})`)]);
  }
  if (names.includes(deployment)) return ok(deployment);
  if (names.length === 1) return ok(names[0]);
  return fail([fieldError('container', `required: deployment "${deployment}" has ${names.length} containers (${names.join(', ') || 'none'})`)]);
};

/**
 * imagePullPolicy is decided at creation and does not follow later tag changes
 * (001:135-141): moving to `:latest` keeps IfNotPresent, and nodes keep a stale `latest`.
 */
const pullPolicyWarnings = (current: string | undefined, image: string): string[] => {
  const parsed = parseImageReference(image);
  if (!parsed.ok || current !== 'IfNotPresent' || parsed.value.defaultPullPolicy !== 'Always') return [];
  return [`imagePullPolicy stays IfNotPresent (set when the Deployment was created), so nodes that already have "${image}" will not pull it again`];
};

/**
 * `kubectl set image` as a strategic-merge patch (containers merge by name, so the other
 * containers are untouched). A new change cause, when given, goes on the Deployment and
 * from there onto the new ReplicaSet (004:1312-1334).
 */
export const setImagePatch = (
  deployment: Deployment,
  image: string,
  container?: string,
  changeCause?: string,
): Result<SetImagePlan> => {
  const errors: FieldError[] = [];
  const parsed = parseImageReference(image, 'image');
  if (!parsed.ok) errors.push(...parsed.errors);
  const picked = pickContainer(deployment, container);
  if (!picked.ok) errors.push(...picked.errors);
  if (!picked.ok || !parsed.ok) return fail(errors);
  const current = deployment.spec?.template.spec?.containers.find((c) => c.name === picked.value);
  const body: Record<string, unknown> = {
    spec: { template: { spec: { containers: [{ name: picked.value, image }] } } },
  };
  if (changeCause !== undefined) body.metadata = { annotations: { [ANNOTATIONS.changeCause]: changeCause } };
  return ok({
    patch: { type: 'strategic', body },
    container: picked.value,
    previousImage: current?.image,
    changed: current?.image !== image,
    warnings: pullPolicyWarnings(current?.imagePullPolicy, image),
  });
};

/** RFC 3339 to the second, the form `kubectl rollout restart` writes. */
const rfc3339 = (now: Date): string => now.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `kubectl rollout restart`: any change to the pod template makes a new revision, so stamp
 * a template annotation (000:20593-20601). Two restarts in the same second would be one.
 */
export const restartPatch = (now: Date): DeploymentPatch => ({
  type: 'merge',
  body: { spec: { template: { metadata: { annotations: { [ANNOTATIONS.restartedAt]: rfc3339(now) } } } } },
});

/** Pause stops the controller from rolling out template changes; resume continues (004:1623-1650). */
export const pausePatch = (paused: boolean): DeploymentPatch => ({ type: 'merge', body: { spec: { paused } } });

/**
 * When a live Deployment still carries a `rollingUpdate` block we do not own (created by
 * someone else, or defaulted) and we are about to apply `type: Recreate`, the apply would be
 * rejected (000:11247). This merge patch clears it first; `undefined` when not needed.
 */
export const recreateStrategyPatch = (live: Deployment, desiredType: string | undefined): DeploymentPatch | undefined => {
  if (desiredType !== 'Recreate' || live.spec?.strategy?.rollingUpdate === undefined) return undefined;
  return { type: 'merge', body: { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } } };
};

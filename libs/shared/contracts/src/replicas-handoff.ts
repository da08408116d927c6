/**
 * The seed's replicas trap (004:4303-4321): while an autoscaler manages a workload, a deploy
 * that applies `spec.replicas` resets the count it chose. The autoscaler service marks the
 * workload with this annotation (value: the autoscaler's id) while it manages it — managed
 * loop or native HPA — and removes it when the autoscaler is deleted; the deployer then
 * applies the live replica count instead of the requested one. The two services meet only
 * on the object itself (ADR 0004).
 */
export const AUTOSCALER_MANAGED_BY_ANNOTATION = 'autoscaling.bosun.dev/managed-by';

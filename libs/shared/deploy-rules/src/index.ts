// The rules of a deploy request that need no cluster: the image reference grammar, the
// pull policy the apiserver will default, and the cross-field checks the apiserver (or
// server-side apply, or the kubelet) would refuse. Shared, not the deployer's alone, so the
// gateway refuses a bad deploy with a 422 at intake without a round trip to the deployer
// (bench/results/intake.md), and the deployer checks a command with the same code.
export { defaultPullPolicy, type PullPolicy } from './pull-policy';
export { DEFAULT_REGISTRY, parseImageReference, resolveImage, type ImageReference } from './image-reference';
export { validateDeployRequest } from './deploy-request.validation';

import type { z } from 'zod';
import {
  DEPLOYER_ACTIONS, deployCommandSchema, deploymentRefSchema, rollbackPayloadSchema, scalePayloadSchema, setImagePayloadSchema, toFieldErrors,
} from '@bosun/contracts';
import type { DeployCommandPayload, DeployerOperationKind, DeploymentRef, FieldError, RollbackPayload, SetImagePayload } from '@bosun/contracts';
import { parseImageReference, validateDeployRequest } from '@bosun/deployer-domain';

export type DeployerAction = (typeof DEPLOYER_ACTIONS)[DeployerOperationKind];
export type ScalePayload = z.infer<typeof scalePayloadSchema>;

/** A command whose payload passed the contract schema and the domain's own checks. */
export type DeployerCommand =
  | { action: 'deploy'; payload: DeployCommandPayload }
  | { action: 'set-image'; payload: SetImagePayload }
  | { action: 'rollback'; payload: RollbackPayload }
  | { action: 'pause' | 'resume' | 'restart' | 'delete'; payload: DeploymentRef }
  | { action: 'scale'; payload: ScalePayload };

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const ACTIONS = new Set<string>(Object.values(DEPLOYER_ACTIONS));

/** `deployment.rollback` or `rollback` → `rollback`; undefined for anything else. */
export const actionOf = (kindOrAction: string): DeployerAction | undefined => {
  if (Object.hasOwn(DEPLOYER_ACTIONS, kindOrAction)) return DEPLOYER_ACTIONS[kindOrAction as DeployerOperationKind];
  return ACTIONS.has(kindOrAction) ? (kindOrAction as DeployerAction) : undefined;
};

/**
 * The payload schema of each action: the one the gateway sends with (for deploy, the request
 * with its literal env values sealed: a plaintext value is refused).
 */
export const SCHEMAS: Record<DeployerAction, z.ZodType> = {
  deploy: deployCommandSchema,
  'set-image': setImagePayloadSchema,
  rollback: rollbackPayloadSchema,
  pause: deploymentRefSchema,
  resume: deploymentRefSchema,
  restart: deploymentRefSchema,
  delete: deploymentRefSchema,
  scale: scalePayloadSchema,
};

/** Checks the schema cannot express, that need no cluster: the whole deploy request, an image reference. */
export const domainErrors = (command: DeployerCommand): FieldError[] => {
  if (command.action === 'deploy') return validateDeployRequest(command.payload);
  if (command.action === 'set-image') {
    const image = parseImageReference(command.payload.image, 'image');
    return image.ok ? [] : image.errors;
  }
  return [];
};

/**
 * Validates a command payload with the same schema the sender used, then the domain's
 * rules; the field paths are the request's (`ports.0.containerPort`).
 */
export const parseCommand = (action: DeployerAction, payload: unknown): Parsed<DeployerCommand> => {
  const parsed = SCHEMAS[action].safeParse(payload);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error) };
  const command = { action, payload: parsed.data } as DeployerCommand;
  const errors = domainErrors(command);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: command };
};

/** The kit's validation of one action's commands: the contract schema, then the domain's rules. */
export const commandRoute = (action: DeployerAction): { schema: z.ZodType; rules: (payload: unknown) => FieldError[] } => ({
  schema: SCHEMAS[action],
  rules: (payload) => domainErrors({ action, payload } as DeployerCommand),
});

import type { Failure, FieldError } from '@bosun/contracts';
import { planRollback, setImagePatch } from '@bosun/deployer-domain';
import { actionOf, parseCommand } from './command.payload';
import type { DeployerCommand } from './command.payload';
import type { DeploymentRepository } from './deployment.repository';

export type Validation = { ok: true; value: { fieldErrors: FieldError[] } } | { ok: false; error: Failure };

const invalid = (fieldErrors: FieldError[]): Validation => ({
  ok: false,
  error: { code: 'Invalid', message: fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; '), fieldErrors },
});
const VALID: Validation = { ok: true, value: { fieldErrors: [] } };

/**
 * What the gateway asks before it accepts an operation, so a request that cannot work is a
 * 422 (or 404, 409) naming the field rather than an operation that fails later: the payload
 * schema and domain rules, and for changes to an existing Deployment the checks that need
 * it (the container exists, the revision exists, the Deployment exists).
 */
export class OperationValidator {
  constructor(private readonly repo: DeploymentRepository) {}

  async validate(kind: string, payload: unknown): Promise<Validation> {
    const action = actionOf(kind);
    if (!action) return invalid([{ path: 'kind', message: `unknown deployer operation "${kind}"` }]);
    const parsed = parseCommand(action, payload);
    if (!parsed.ok) return invalid(parsed.errors);
    return this.againstCluster(parsed.value);
  }

  private async againstCluster(command: DeployerCommand): Promise<Validation> {
    if (command.action === 'deploy' || command.action === 'delete') return VALID;
    const { namespace, name } = command.payload;
    const live = await this.repo.get(namespace, name);
    if (!live) return { ok: false, error: { code: 'NotFound', message: `deployments.apps "${name}" not found` } };
    if (command.action === 'set-image') {
      const plan = setImagePatch(live, command.payload.image, command.payload.container);
      return plan.ok ? VALID : invalid(plan.errors);
    }
    if (command.action === 'rollback') {
      const plan = planRollback(live, await this.repo.replicaSetsOf(live), command.payload.toRevision);
      if (plan.ok) return VALID;
      if (plan.code === 'DeploymentPaused') return { ok: false, error: { code: 'Conflict', message: plan.errors[0].message, fieldErrors: plan.errors } };
      return invalid(plan.errors);
    }
    return VALID;
  }
}

import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { commandSubject } from '@bosun/contracts';
import type { DeployCommandPayload, DeploymentRef, RollbackPayload, SetImagePayload } from '@bosun/contracts';
import { OperationContext, OperationHandler } from '@bosun/service-kit';
import { commandRoute } from './command.payload';
import type { DeployerAction, ScalePayload } from './command.payload';
import { DeploymentOperations } from './deployment.operations';

const on = (action: DeployerAction): MethodDecorator => OperationHandler(commandSubject('deployer', action), commandRoute(action));

/** `bosun.cmd.deployer.<action>.v1` → one deployer operation each; the kit owns the lifecycle around them. */
@Controller()
export class DeploymentHandlers {
  constructor(private readonly ops: DeploymentOperations) {}

  @on('deploy')
  deploy(@Payload() payload: DeployCommandPayload, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'deploy', payload }, op);
  }

  @on('set-image')
  setImage(@Payload() payload: SetImagePayload, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'set-image', payload }, op);
  }

  @on('rollback')
  rollback(@Payload() payload: RollbackPayload, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'rollback', payload }, op);
  }

  @on('pause')
  pause(@Payload() payload: DeploymentRef, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'pause', payload }, op);
  }

  @on('resume')
  resume(@Payload() payload: DeploymentRef, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'resume', payload }, op);
  }

  @on('restart')
  restart(@Payload() payload: DeploymentRef, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'restart', payload }, op);
  }

  @on('scale')
  scale(@Payload() payload: ScalePayload, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'scale', payload }, op);
  }

  @on('delete')
  remove(@Payload() payload: DeploymentRef, @Ctx() op: OperationContext): Promise<unknown> {
    return this.ops.run({ action: 'delete', payload }, op);
  }
}

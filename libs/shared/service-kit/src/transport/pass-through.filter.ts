import { Catch } from '@nestjs/common';
import type { RpcExceptionFilter } from '@nestjs/common';
import { throwError } from 'rxjs';
import type { Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into `{status: 'error', message}`; the kit
 * needs the error itself (an OperationFailure, a KubeError) to classify it — retry or fail,
 * and with which code. So handler errors pass through unchanged.
 */
@Catch()
export class PassThroughRpcFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

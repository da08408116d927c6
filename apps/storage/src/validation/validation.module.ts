import { Module } from '@nestjs/common';
import { ValidationQueries } from './validation.queries';

/** The `validate` query the gateway asks before it accepts a storage operation. */
@Module({ controllers: [ValidationQueries] })
export class ValidationModule {}

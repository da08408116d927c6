import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IdentitiesModule } from '../identities/identities.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { RateLimiter } from './rate.limiter';
import { TokenStore } from './token.store';

/** Bearer tokens, roles and rate limits on every /v1 route (a global guard); whoami and tokens. */
@Module({
  imports: [IdentitiesModule],
  controllers: [AuthController],
  providers: [TokenStore, RateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenStore],
})
export class AuthModule {}

import { Module } from '@nestjs/common';
import { ChatIdentitiesController } from './chat-identities.controller';
import { ChatIdentityStore } from './chat-identity.store';

/** Chat users linked to Bosun subjects (the auth guard resolves chatops' calls through it). */
@Module({ controllers: [ChatIdentitiesController], providers: [ChatIdentityStore], exports: [ChatIdentityStore] })
export class IdentitiesModule {}

import { Body, Controller, Get, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  claimsQuerySchema, createClaimRequestSchema, createVolumeRequestSchema, dnsLabel, expandClaimRequestSchema, orphansQuerySchema, patchVolumeRequestSchema,
  setDefaultClassRequestSchema, STORAGE_ACTIONS, STORAGE_QUERIES, storageObjectName,
} from '@bosun/contracts';
import type {
  ClaimDiagnosis, ClaimRef, ClaimsQuery, ClaimView, CreateClaimRequest, CreateVolumeRequest, ExpandClaimRequest, Operation, OrphanReport, OrphansQuery,
  PatchVolumeRequest, SetDefaultClassRequest, StorageClassView, StorageOperationKind, Target, VolumeRef, VolumeView,
} from '@bosun/contracts';
import { Action, RequireRole } from '../auth/auth.decorators';
import { ApiRoute } from '../http/api-route.decorator';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { ZodParams } from '../http/zod-params.pipe';
import { OperationIntake } from '../operations/operation-intake';

const SERVICE = 'storage';
const TAG = 'storage';
const claimPath = z.object({ ns: dnsLabel('namespace'), name: storageObjectName('name') });
const volumePath = z.object({ name: storageObjectName('name') });
const claimTarget = (ref: ClaimRef): Omit<Target, 'cluster'> => ({ namespace: ref.namespace, kind: 'PersistentVolumeClaim', name: ref.name });
const volumeTarget = (name: string): Omit<Target, 'cluster'> => ({ kind: 'PersistentVolume', name });

/** One target for every default-class switch, so that two switches run one after the other (storage README). */
const DEFAULT_CLASS_TARGET = { kind: 'StorageClass', name: 'default-class' };

/**
 * Storage: classes, volumes and claims. Every change is a storage operation, validated by
 * the service first (its `validate` query: shrinking, a class without allowVolumeExpansion,
 * an existing claim… are refused with 422/404/409 before anything is queued).
 * Cluster-scoped objects (the default class, static volumes) are admin; claims operator.
 */
@Controller('v1/storage')
export class StorageController {
  constructor(private readonly intake: OperationIntake) {}

  @Get('classes')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'StorageClasses, with the one default marked', tag: TAG, service: SERVICE })
  async classes(@Req() req: Request): Promise<{ items: StorageClassView[] }> {
    return { items: await this.intake.ask<StorageClassView[]>(req, SERVICE, STORAGE_QUERIES.classes, {}) };
  }

  @Put('default-class')
  @RequireRole('admin')
  @Action('storage.set-default-class')
  @ApiRoute({ summary: 'Make one class the default (afterwards exactly one class is)', tag: TAG, service: SERVICE, operation: true, kinds: ['storage.set-default-class'] })
  setDefaultClass(@Body(new ZodBody(setDefaultClassRequestSchema)) body: SetDefaultClassRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'storage.set-default-class', DEFAULT_CLASS_TARGET, body);
  }

  @Get('volumes')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'PersistentVolumes by name: capacity, phase, claim, reclaim policy', tag: TAG, service: SERVICE })
  async volumes(@Req() req: Request): Promise<{ items: VolumeView[] }> {
    return { items: await this.intake.ask<VolumeView[]>(req, SERVICE, STORAGE_QUERIES.volumes, {}) };
  }

  @Post('volumes')
  @RequireRole('admin')
  @Action('storage.create-volume')
  @ApiRoute({ summary: 'Create a static PersistentVolume', tag: TAG, service: SERVICE, operation: true, kinds: ['storage.create-volume'] })
  createVolume(@Body(new ZodBody(createVolumeRequestSchema)) body: CreateVolumeRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'storage.create-volume', volumeTarget(body.name), body);
  }

  @Patch('volumes/:name')
  @RequireRole('admin')
  @Action('storage.patch-volume')
  @ApiRoute({ summary: 'Change a volume\'s reclaim policy', tag: TAG, service: SERVICE, operation: true, kinds: ['storage.patch-volume'] })
  patchVolume(@Param(new ZodParams(volumePath)) ref: VolumeRef, @Body(new ZodBody(patchVolumeRequestSchema)) body: PatchVolumeRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'storage.patch-volume', volumeTarget(ref.name), { ...ref, ...body });
  }

  @Post('volumes/:name/release')
  @RequireRole('admin')
  @Action('storage.release-volume')
  @ApiRoute({ summary: 'Make a Released volume Available again (its claimRef is cleared)', tag: TAG, service: SERVICE, operation: true, kinds: ['storage.release-volume'] })
  releaseVolume(@Param(new ZodParams(volumePath)) ref: VolumeRef, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'storage.release-volume', volumeTarget(ref.name), ref);
  }

  @Get('claims')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'PersistentVolumeClaims of one namespace or all', tag: TAG, service: SERVICE })
  async claims(@Query(new ZodQuery(claimsQuerySchema)) query: ClaimsQuery, @Req() req: Request): Promise<{ items: ClaimView[] }> {
    return { items: await this.intake.ask<ClaimView[]>(req, SERVICE, STORAGE_QUERIES.claims, query) };
  }

  @Post('claims')
  @RequireRole('operator')
  @Action('storage.create-claim')
  @ApiRoute({ summary: 'Create a claim; the operation succeeds once it exists, with result {phase, boundTo?, diagnosis?}', tag: TAG, service: SERVICE, operation: true, kinds: ['storage.create-claim'] })
  createClaim(@Body(new ZodBody(createClaimRequestSchema)) body: CreateClaimRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'storage.create-claim', claimTarget(body), body);
  }

  @Post('claims/:ns/:name/expand')
  @RequireRole('operator')
  @Action('storage.expand-claim')
  @ApiRoute({ summary: 'Expand a claim to {size} (shrinking, or a class without allowVolumeExpansion, is a 422)', tag: TAG, service: SERVICE, operation: true, kinds: ['storage.expand-claim'] })
  expandClaim(@Param(new ZodParams(claimPath, { ns: 'namespace' })) ref: ClaimRef, @Body(new ZodBody(expandClaimRequestSchema)) body: ExpandClaimRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Operation> {
    return this.op(req, res, 'storage.expand-claim', claimTarget(ref), { ...ref, ...body });
  }

  @Get('claims/:ns/:name/diagnosis')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Why a claim is (not) bound: {phase, boundTo?, candidates: [{volume, matches, reasons}], hint, causes}', tag: TAG, service: SERVICE })
  diagnosis(@Param(new ZodParams(claimPath, { ns: 'namespace' })) ref: ClaimRef, @Req() req: Request): Promise<ClaimDiagnosis> {
    return this.intake.ask(req, SERVICE, STORAGE_QUERIES.diagnosis, ref, 15_000);
  }

  @Get('orphans')
  @RequireRole('viewer')
  @ApiRoute({ summary: 'Claims no pod uses (StatefulSet leftovers named) and Released volumes', tag: TAG, service: SERVICE })
  orphans(@Query(new ZodQuery(orphansQuerySchema)) query: OrphansQuery, @Req() req: Request): Promise<OrphanReport> {
    return this.intake.ask(req, SERVICE, STORAGE_QUERIES.orphans, query);
  }

  private op(req: Request, res: Response, kind: StorageOperationKind, target: Omit<Target, 'cluster'>, payload: unknown): Promise<Operation> {
    return this.intake.submit(req, res, { kind, service: SERVICE, action: STORAGE_ACTIONS[kind], target, payload, validate: true });
  }
}

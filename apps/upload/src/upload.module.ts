import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { resolve } from 'node:path';
import { AuthModule } from '#auth';
import type { UploadEnv } from '#config';
import { PlatformModule } from '#platform';
import { createStorage } from '#storage';
import { AssetsController } from './assets/assets.controller.js';
import { AssetsRepository } from './assets/assets.repository.js';
import { MediaAsset } from './assets/media-asset.entity.js';
import { QUEUE_PREFIX, TranscodeQueue } from './assets/transcode-queue.js';
import { IntakeService, STORAGE, UPLOAD_DIR } from './intake/intake.service.js';
import { RECONCILE_INTERVAL_MS, ReconcilerService } from './intake/reconciler.service.js';
import { TusController } from './tus/tus.controller.js';
import { TusService, UPLOAD_LIMITS, type UploadLimits } from './tus/tus.service.js';

@Module({})
export class UploadModule {
  static forRoot(env: UploadEnv): DynamicModule {
    const limits: UploadLimits = { maxBytes: env.UPLOAD_MAX_BYTES, expiryHours: env.UPLOAD_EXPIRY_HOURS };
    return {
      module: UploadModule,
      imports: [
        PlatformModule.forRoot({ processName: 'upload', databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, entities: [MediaAsset] }),
        TypeOrmModule.forFeature([MediaAsset]),
        AuthModule.forRoot({ secret: env.JWT_SECRET, ttlSeconds: env.JWT_TTL_SECONDS }),
      ],
      controllers: [AssetsController, TusController],
      providers: [
        AssetsRepository,
        TranscodeQueue,
        IntakeService,
        TusService,
        ReconcilerService,
        { provide: QUEUE_PREFIX, useValue: env.QUEUE_PREFIX },
        { provide: STORAGE, useValue: createStorage(env) },
        { provide: UPLOAD_DIR, useValue: resolve(env.UPLOAD_DIR) },
        { provide: UPLOAD_LIMITS, useValue: limits },
        { provide: RECONCILE_INTERVAL_MS, useValue: env.UPLOAD_RECONCILE_INTERVAL_MS },
      ],
    };
  }
}

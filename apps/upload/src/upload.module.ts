import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { resolve } from 'node:path';
import { AuthModule } from '#auth';
import type { UploadEnv } from '#config';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import { createRedis, PlatformModule, REDIS } from '#platform';
import { createStorage, s3ClientSettings, type Storage } from '#storage';
import { AssetsController } from './assets/assets.controller.js';
import { AssetsRepository } from './assets/assets.repository.js';
import { MediaAsset } from './assets/media-asset.entity.js';
import { QUEUE_PREFIX, TranscodeQueue } from './assets/transcode-queue.js';
import { IntakeService, STORAGE } from './intake/intake.service.js';
import { RECONCILE_INTERVAL_MS, ReconcilerService } from './intake/reconciler.service.js';
import { TusController } from './tus/tus.controller.js';
import { TusService, UPLOAD_LIMITS, type UploadLimits } from './tus/tus.service.js';
import { MEDIA_SWEEP_OPTIONS, MediaSweeperService } from './sweeper/media-sweeper.service.js';
import { MediaSweepsRepository } from './sweeper/media-sweeps.repository.js';
import { RedisLocker } from './tus/redis-locker.js';
import { materialUploadProviders } from './materials/material-uploads.parts.js';
import { bucketUploadBackend, localUploadBackend, UPLOAD_BACKEND, type UploadBackend } from './tus/upload-backend.js';

/** Local disk for one instance; with S3, the bucket and a Redis lock, so uploads may move between replicas. */
async function uploadBackend(env: UploadEnv, redis: Redis, storage: Storage): Promise<UploadBackend> {
  const uploadDir = resolve(env.UPLOAD_DIR);
  if (env.STORAGE_DRIVER !== 's3') return localUploadBackend(uploadDir, storage, env.UPLOAD_EXPIRY_HOURS);
  // A subscribed connection takes no other commands; it queues the subscription until Redis answers.
  const subscriber = createRedis(env.REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on('error', () => undefined);
  const locker = new RedisLocker({ redis, subscriber, prefix: env.QUEUE_PREFIX, leaseMs: env.UPLOAD_LOCK_LEASE_MS });
  return bucketUploadBackend({
    s3: s3ClientSettings(env),
    storage,
    locker,
    workDir: join(uploadDir, 'work'),
    expiryHours: env.UPLOAD_EXPIRY_HOURS,
    onClose: async () => {
      subscriber.disconnect();
    },
  });
}

@Module({})
export class UploadModule {
  static forRoot(env: UploadEnv): DynamicModule {
    const limits: UploadLimits = { maxBytes: env.UPLOAD_MAX_BYTES, expiryHours: env.UPLOAD_EXPIRY_HOURS };
    return {
      module: UploadModule,
      imports: [
        PlatformModule.forRoot({ processName: 'upload', databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, entities: [MediaAsset] }),
        TypeOrmModule.forFeature([MediaAsset]),
        AuthModule.forRoot({ secret: env.JWT_SECRET, previousSecret: env.JWT_SECRET_PREVIOUS, ttlSeconds: env.JWT_TTL_SECONDS }),
      ],
      controllers: [AssetsController, TusController],
      providers: [
        AssetsRepository,
        TranscodeQueue,
        IntakeService,
        TusService,
        ReconcilerService,
        MediaSweepsRepository,
        MediaSweeperService,
        ...materialUploadProviders,
        { provide: QUEUE_PREFIX, useValue: env.QUEUE_PREFIX },
        { provide: STORAGE, useValue: createStorage(env) },
        {
          provide: UPLOAD_BACKEND,
          inject: [REDIS, STORAGE],
          useFactory: (redis: Redis, storage: Storage) => uploadBackend(env, redis, storage),
        },
        { provide: UPLOAD_LIMITS, useValue: limits },
        { provide: RECONCILE_INTERVAL_MS, useValue: env.UPLOAD_RECONCILE_INTERVAL_MS },
        {
          provide: MEDIA_SWEEP_OPTIONS,
          useValue: {
            graceMinutes: env.MEDIA_SWEEP_GRACE_MINUTES,
            intervalMs: env.MEDIA_SWEEP_INTERVAL_MS,
            previewRetentionSec: env.PREVIEW_RETENTION_SEC,
          },
        },
      ],
    };
  }
}

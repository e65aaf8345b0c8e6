import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { dataSourceOptions } from '#database';
import { HealthController, HealthService, PROCESS_NAME, REDIS } from './health.js';
import { createRedis } from './redis.js';

export interface PlatformOptions {
  processName: string;
  databaseUrl: string;
  redisUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  poolSize?: number;
}

/** What every HTTP service shares: PostgreSQL through TypeORM, one Redis client, and /health. */
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.databaseUrl, options.entities, options.poolSize),
          // Keep trying at start-up too, so a service launched before PostgreSQL comes up waits for it.
          retryAttempts: 30,
          retryDelay: 1000,
        }),
      ],
      controllers: [HealthController],
      providers: [
        HealthService,
        { provide: PROCESS_NAME, useValue: options.processName },
        { provide: REDIS, useFactory: () => createRedis(options.redisUrl) },
      ],
      exports: [REDIS, HealthService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

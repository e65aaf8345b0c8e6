import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '#auth';
import type { UploadEnv } from '#config';
import { PlatformModule } from '#platform';

@Module({})
export class UploadModule {
  static forRoot(env: UploadEnv): DynamicModule {
    return {
      module: UploadModule,
      imports: [
        PlatformModule.forRoot({ processName: 'upload', databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, entities: [] }),
        AuthModule.forRoot({ secret: env.JWT_SECRET, ttlSeconds: env.JWT_TTL_SECONDS }),
      ],
    };
  }
}

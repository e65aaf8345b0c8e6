import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '#auth';
import type { CatalogEnv } from '#config';
import { PlatformModule } from '#platform';
import { AccountsController } from './accounts/accounts.controller.js';
import { AccountsService } from './accounts/accounts.service.js';
import { User } from './accounts/user.entity.js';
import { MemberCategory } from './members/member-category.entity.js';
import { MembersController } from './members/members.controller.js';
import { MembersService } from './members/members.service.js';
import { OrgUnit } from './org/org-unit.entity.js';
import { OrgUnitsController } from './org/org-units.controller.js';
import { OrgUnitsService } from './org/org-units.service.js';
import { ScopeService } from './org/scope.service.js';

export const catalogEntities = [OrgUnit, User, MemberCategory];

@Module({})
export class CatalogModule {
  static forRoot(env: CatalogEnv): DynamicModule {
    return {
      module: CatalogModule,
      imports: [
        PlatformModule.forRoot({
          processName: 'catalog',
          databaseUrl: env.DATABASE_URL,
          redisUrl: env.REDIS_URL,
          entities: catalogEntities,
        }),
        TypeOrmModule.forFeature(catalogEntities),
        AuthModule.forRoot({ secret: env.JWT_SECRET, ttlSeconds: env.JWT_TTL_SECONDS }),
      ],
      controllers: [AccountsController, OrgUnitsController, MembersController],
      providers: [AccountsService, ScopeService, OrgUnitsService, MembersService],
    };
  }
}

import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { ACCOUNT_CHECK, type AccountCheck } from './account-check.js';
import { AuthGuard } from './auth.guard.js';
import { TokenService } from './token.service.js';

export interface AuthOptions {
  secret: string;
  ttlSeconds: number;
  /** Given by the service that owns the users table, so a deactivated or changed account's tokens stop working. */
  accountCheck?: Type<AccountCheck>;
}

/** Installs token checking as a global guard; import once per HTTP service. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    const accountCheck: Provider[] = options.accountCheck ? [{ provide: ACCOUNT_CHECK, useClass: options.accountCheck }] : [];
    return {
      module: AuthModule,
      global: true,
      imports: [
        JwtModule.register({
          // A key object made once: given the string, every check would build one again.
          secret: createSecretKey(Buffer.from(options.secret)),
          signOptions: { algorithm: 'HS256', expiresIn: options.ttlSeconds },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      providers: [TokenService, { provide: APP_GUARD, useClass: AuthGuard }, ...accountCheck],
      exports: [TokenService, ...accountCheck],
    };
  }
}

import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { ACCOUNT_CHECK, type AccountCheck } from './account-check.js';
import { AuthGuard } from './auth.guard.js';
import { PREVIOUS_TOKEN_KEY, TokenService } from './token.service.js';

export interface AuthOptions {
  secret: string;
  /**
   * The secret being retired while `secret` is rotated in (JWT_SECRET_PREVIOUS): tokens it signed are still
   * accepted until they expire, so nobody is signed out; nothing new is signed with it.
   */
  previousSecret?: string | undefined;
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
      providers: [
        TokenService,
        { provide: PREVIOUS_TOKEN_KEY, useValue: options.previousSecret ? createSecretKey(Buffer.from(options.previousSecret)) : null },
        { provide: APP_GUARD, useClass: AuthGuard },
        ...accountCheck,
      ],
      exports: [TokenService, ...accountCheck],
    };
  }
}

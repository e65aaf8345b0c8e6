import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard } from './auth.guard.js';
import { TokenService } from './token.service.js';

export interface AuthOptions {
  secret: string;
  ttlSeconds: number;
}

/** Installs token checking as a global guard; import once per HTTP service. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [
        JwtModule.register({
          secret: options.secret,
          signOptions: { algorithm: 'HS256', expiresIn: options.ttlSeconds },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      providers: [TokenService, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: [TokenService],
    };
  }
}

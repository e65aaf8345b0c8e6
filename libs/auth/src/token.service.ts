import { Inject, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Principal, type Role } from './principal.js';

interface AccessClaims {
  sub: string;
  login: string;
  role: Role;
  unit: string;
  path: string;
}

/** The key of the secret being retired (JWT_SECRET_PREVIOUS), or null when no rotation is under way. */
export const PREVIOUS_TOKEN_KEY = Symbol('PREVIOUS_TOKEN_KEY');

/** Issues and checks access tokens; every failure is a 401 with a message that says what to do. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Optional() @Inject(PREVIOUS_TOKEN_KEY) private readonly previousKey: KeyObject | null = null,
  ) {}

  issue(principal: Principal): Promise<string> {
    const claims: AccessClaims = {
      sub: principal.userId,
      login: principal.login,
      role: principal.role,
      unit: principal.orgUnitId,
      path: principal.orgPath,
    };
    return this.jwt.signAsync(claims);
  }

  async verify(token: string): Promise<Principal> {
    let claims: AccessClaims;
    try {
      claims = await this.verifyWithEitherKey(token);
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(
        expired ? 'Your session has expired. Please sign in again.' : 'Invalid access token. Please sign in again.',
      );
    }
    if (!claims.sub || !ROLES.includes(claims.role) || !claims.path || !claims.unit) {
      throw new UnauthorizedException('Invalid access token. Please sign in again.');
    }
    return { userId: claims.sub, login: claims.login, role: claims.role, orgUnitId: claims.unit, orgPath: claims.path };
  }

  /**
   * The current key first; only a token whose signature it refuses is tried with the previous key. The
   * signature is checked before the expiry, so an expired token of either key still reads as expired.
   */
  private async verifyWithEitherKey(token: string): Promise<AccessClaims> {
    try {
      return await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch (error) {
      const wrongKey = error instanceof Error && error.name === 'JsonWebTokenError' && error.message === 'invalid signature';
      if (!wrongKey || !this.previousKey) throw error;
      // jsonwebtoken takes a KeyObject as an HMAC secret; @nestjs/jwt's option type names only strings and Buffers.
      return this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'], secret: this.previousKey as unknown as Buffer });
    }
  }
}

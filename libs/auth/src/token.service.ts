import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Principal, type Role } from './principal.js';

interface AccessClaims {
  sub: string;
  login: string;
  role: Role;
  unit: string;
  path: string;
}

/** Issues and checks access tokens; every failure is a 401 with a message that says what to do. */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

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
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
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
}

import {
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCOUNT_CHECK, type AccountCheck } from './account-check.js';
import { PUBLIC_KEY, ROLES_KEY, type RequestWithPrincipal } from './decorators.js';
import type { Role } from './principal.js';
import { TokenService } from './token.service.js';

/** Global guard: every route needs a valid bearer token unless marked @Public, and the role it names. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Optional() @Inject(ACCOUNT_CHECK) private readonly accounts?: AccountCheck,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithPrincipal & { method?: string; path?: string }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Sign in first: this request needs an access token.');
    request.principal = await this.tokens.verify(token);
    await this.accounts?.assertCurrent(request.principal, request);
    if (request.principal.role === 'inspector' && !inspectorMayCall(request.method, request.path)) {
      throw new ForbiddenException('Inspectors read reports and change nothing.');
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ForbiddenException(`This needs the ${roles.join(' or ')} role.`);
    }
    return true;
  }
}

/** Methods that read; every other request of an inspector is refused, whatever its route allows. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The writes an inspector makes about their own sign-in only. */
const INSPECTOR_WRITES = new Set(['POST /api/auth/logout', 'POST /api/account/password']);

/** An inspector reads and changes nothing: only reads, signing out and changing their own password. */
export function inspectorMayCall(method: string | undefined, path: string | undefined): boolean {
  const verb = (method ?? '').toUpperCase();
  return READ_METHODS.has(verb) || INSPECTOR_WRITES.has(`${verb} ${(path ?? '').toLowerCase().replace(/\/+$/, '')}`);
}

export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i);
  return match?.[1];
}

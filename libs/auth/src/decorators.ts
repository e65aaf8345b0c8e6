import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from './principal.js';

export const PUBLIC_KEY = 'lectern:public';
export const ROLES_KEY = 'lectern:roles';

/** The route needs no access token (login, health, documentation). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The route is open only to these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type RequestWithPrincipal = { principal?: Principal; headers: Record<string, string | string[] | undefined> };

/** The verified caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});

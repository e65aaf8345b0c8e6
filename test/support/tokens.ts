import { createHmac, randomUUID } from 'node:crypto';
import type { Principal } from '#auth';
import { TEST_JWT_SECRET } from './secrets.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds an HS256 JWT by hand, so tests can also make the forged and expired tokens a real signer would not. */
export function signToken(claims: object, secret: string | null = TEST_JWT_SECRET, alg = 'HS256'): string {
  const unsigned = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A valid access token for a made-up person, for services that trust the token alone. */
export function tokenFor(role: Principal['role'], overrides: Partial<Principal> = {}): { token: string; principal: Principal } {
  const principal: Principal = {
    userId: randomUUID(),
    login: `${role}-${Math.random().toString(36).slice(2, 8)}`,
    role,
    orgUnitId: randomUUID(),
    orgPath: 'committee',
    ...overrides,
  };
  const now = Math.floor(Date.now() / 1000);
  const token = signToken({
    sub: principal.userId,
    login: principal.login,
    role: principal.role,
    unit: principal.orgUnitId,
    path: principal.orgPath,
    iat: now,
    exp: now + 3600,
  });
  return { token, principal };
}

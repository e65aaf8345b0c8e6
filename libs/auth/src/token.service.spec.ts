import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import { AuthModule } from './auth.module.js';
import type { Principal } from './principal.js';
import { TokenService } from './token.service.js';

const OLD = 'the-secret-being-retired-0123456789abcdef';
const NEW = 'the-secret-rotated-in-0123456789abcdefghij';
const OTHER = 'a-secret-nobody-configured-0123456789abcd';

const principal: Principal = { userId: 'u-1', login: 'member', role: 'member', orgUnitId: 'unit-1', orgPath: 'committee/east' };

/** The token service exactly as a service's AuthModule installs it. */
async function tokensWith(secret: string, previousSecret?: string): Promise<TokenService> {
  const module = await Test.createTestingModule({ imports: [AuthModule.forRoot({ secret, previousSecret, ttlSeconds: 3600 })] }).compile();
  return module.get(TokenService);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An HS256 token signed by hand, so it can be expired already. */
function handSigned(secret: string, claims: object): string {
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('rotating JWT_SECRET', () => {
  it('accepts a token of the previous secret during the overlap, and refuses it once the previous secret is removed', async () => {
    const before = await (await tokensWith(OLD)).issue(principal);
    const during = await tokensWith(NEW, OLD);
    await expect(during.verify(before)).resolves.toEqual(principal);
    const after = await tokensWith(NEW);
    await expect(after.verify(before)).rejects.toThrow('Invalid access token');
  });

  it('signs new tokens with the current secret only', async () => {
    const issued = await (await tokensWith(NEW, OLD)).issue(principal);
    await expect((await tokensWith(NEW)).verify(issued)).resolves.toEqual(principal);
    await expect((await tokensWith(OLD)).verify(issued)).rejects.toThrow('Invalid access token');
  });

  it('refuses a token signed with neither secret', async () => {
    const stranger = await (await tokensWith(OTHER)).issue(principal);
    await expect((await tokensWith(NEW, OLD)).verify(stranger)).rejects.toThrow('Invalid access token');
  });

  it('says an expired token of the previous secret has expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'u-1', login: 'member', role: 'member', unit: 'unit-1', path: 'committee', iat: now - 120, exp: now - 60 };
    await expect((await tokensWith(NEW, OLD)).verify(handSigned(OLD, claims))).rejects.toThrow('Your session has expired');
    await expect((await tokensWith(NEW, OLD)).verify(handSigned(OTHER, claims))).rejects.toThrow('Invalid access token');
  });
});

import type { Principal } from './principal.js';

export const ACCOUNT_CHECK = Symbol('ACCOUNT_CHECK');

/**
 * What a service that owns the accounts adds to token checking: that the token's account is still
 * active and still has the role and unit the token says. Throws an UnauthorizedException if not.
 */
export interface AccountCheck {
  assertCurrent(principal: Principal): Promise<void>;
}

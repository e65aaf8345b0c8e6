import type { Principal } from './principal.js';

export const ACCOUNT_CHECK = Symbol('ACCOUNT_CHECK');

/**
 * What a service that owns the accounts adds to token checking: that the token's account is still
 * active and still has the role and unit the token says (an UnauthorizedException if not), and may
 * refuse the request itself (e.g. anything but choosing a new password after a reset).
 */
export interface AccountCheck {
  assertCurrent(principal: Principal, request?: { method?: string; path?: string }): Promise<void>;
}

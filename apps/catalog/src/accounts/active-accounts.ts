import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccountCheck, Principal } from '#auth';
import { openWhilePasswordChangeRequired, PASSWORD_CHANGE_REQUIRED } from './password-change-gate.js';

interface AccountState {
  checkedAt: number;
  active: boolean;
  role: string;
  orgUnitId: string;
  mustChangePassword: boolean;
}

// How long a looked-up account is trusted; changes made here are seen at once (forget).
const FRESH_MS = 5_000;
const MAX_ENTRIES = 50_000;

/**
 * Makes an access token stop working as soon as its account is deactivated, or moved to another
 * role or unit, instead of when it expires: every request's account is looked up (cached briefly).
 * After an administrator reset the password, only choosing a new one (and signing out) is allowed.
 */
@Injectable()
export class ActiveAccounts implements AccountCheck {
  private readonly accounts = new Map<string, AccountState>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async assertCurrent(principal: Principal, request?: { method?: string; path?: string }): Promise<void> {
    const now = Date.now();
    let state = this.accounts.get(principal.userId);
    if (!state || now - state.checkedAt > FRESH_MS) {
      const [row] = await this.db.query(`SELECT active, role, org_unit_id, must_change_password FROM users WHERE id = $1`, [
        principal.userId,
      ]);
      if (this.accounts.size >= MAX_ENTRIES) this.accounts.clear();
      state = row
        ? { checkedAt: now, active: row.active, role: row.role, orgUnitId: row.org_unit_id, mustChangePassword: row.must_change_password }
        : { checkedAt: now, active: false, role: '', orgUnitId: '', mustChangePassword: false };
      this.accounts.set(principal.userId, state);
    }
    if (!state.active) throw new UnauthorizedException('This account is deactivated or no longer exists. Ask your administrator.');
    if (state.role !== principal.role || state.orgUnitId !== principal.orgUnitId) {
      throw new UnauthorizedException('Your role or unit has changed. Please sign in again.');
    }
    if (state.mustChangePassword && !openWhilePasswordChangeRequired(request?.method, request?.path)) {
      throw new ForbiddenException({
        statusCode: 403,
        code: PASSWORD_CHANGE_REQUIRED,
        message: 'Your password was reset. Choose a new password (Change password) before you go on.',
      });
    }
  }

  /** Drops what is known of an account, after it was changed here. */
  forget(userId: string): void {
    this.accounts.delete(userId);
  }
}

import { BadRequestException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ACCOUNT_CHECK, TokenService, type Principal } from '#auth';
import type { ActiveAccounts } from './active-accounts.js';
import type { ChangePasswordInput } from './auth.schemas.js';
import { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { User } from './user.entity.js';
import { toUserView, type UserView } from './user.view.js';

export interface LoginAnswer {
  accessToken: string;
  user: UserView;
  /** The password was reset by an administrator: the person must choose a new one before anything else. */
  mustChangePassword: boolean;
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    @Inject(ACCOUNT_CHECK) private readonly accounts: ActiveAccounts,
  ) {}

  /** Throws LoginLockedError (before looking at the password) while the name or the client address is locked. */
  async login(login: string, password: string, address?: string): Promise<LoginAnswer> {
    await this.throttle.assertOpen(login, address);
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .leftJoinAndSelect('user.orgUnit', 'unit')
      .where('user.login = :login', { login })
      .getOne();
    const passwordOk = await verifyPassword(user?.passwordHash, password);
    if (!user || !passwordOk || !user.passwordHash) {
      await this.throttle.recordFailure(login, address);
      throw new UnauthorizedException('Wrong username or password.');
    }
    if (!user.active) throw new UnauthorizedException('This account is deactivated. Ask your administrator.');
    await this.throttle.recordSuccess(login);
    const principal: Principal = {
      userId: user.id,
      login: user.login,
      role: user.role,
      orgUnitId: user.orgUnitId,
      orgPath: user.orgUnit.path,
    };
    return { accessToken: await this.tokens.issue(principal), user: toUserView(user), mustChangePassword: user.mustChangePassword };
  }

  async me(principal: Principal): Promise<UserView> {
    const user = await this.users.findOne({ where: { id: principal.userId }, relations: { orgUnit: true } });
    if (!user || !user.active) throw new NotFoundException('Your account no longer exists or is deactivated.');
    return toUserView(user);
  }

  /**
   * Anyone signed in chooses a new password by giving the current one (after a reset, the one-time
   * password). Wrong guesses count towards the same lock-out as failed sign-ins.
   */
  async changePassword(principal: Principal, input: ChangePasswordInput, address?: string): Promise<UserView> {
    await this.throttle.assertOpen(principal.login, address);
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :id', { id: principal.userId })
      .getOne();
    if (!user || !user.active) throw new NotFoundException('Your account no longer exists or is deactivated.');
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await this.throttle.recordFailure(principal.login, address);
      throw new BadRequestException('The current password is wrong. Type the password you signed in with.');
    }
    if (await verifyPassword(user.passwordHash, input.newPassword)) {
      throw new BadRequestException('The new password is the same as the current one. Choose a different password.');
    }
    await this.users.update({ id: user.id }, { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false });
    await this.throttle.recordSuccess(principal.login);
    this.accounts.forget(user.id);
    return this.me(principal);
  }
}

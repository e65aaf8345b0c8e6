import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TokenService, type Principal } from '#auth';
import { verifyPassword } from './passwords.js';
import { User } from './user.entity.js';
import { toUserView, type UserView } from './user.view.js';

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly tokens: TokenService,
  ) {}

  async login(login: string, password: string): Promise<{ accessToken: string; user: UserView }> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .leftJoinAndSelect('user.orgUnit', 'unit')
      .where('user.login = :login', { login })
      .getOne();
    const passwordOk = await verifyPassword(user?.passwordHash, password);
    if (!user || !passwordOk || !user.passwordHash) {
      throw new UnauthorizedException('Wrong username or password.');
    }
    if (!user.active) throw new UnauthorizedException('This account is deactivated. Ask your administrator.');
    const principal: Principal = {
      userId: user.id,
      login: user.login,
      role: user.role,
      orgUnitId: user.orgUnitId,
      orgPath: user.orgUnit.path,
    };
    return { accessToken: await this.tokens.issue(principal), user: toUserView(user) };
  }

  async me(principal: Principal): Promise<UserView> {
    const user = await this.users.findOne({ where: { id: principal.userId }, relations: { orgUnit: true } });
    if (!user || !user.active) throw new NotFoundException('Your account no longer exists or is deactivated.');
    return toUserView(user);
  }
}

import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { AccountsService } from './accounts.service.js';
import { LoginSchema, type LoginInput } from './auth.schemas.js';

@ApiTags('accounts')
@Controller('api')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiZodBody(LoginSchema)
  login(@Body({ schema: LoginSchema }) body: LoginInput) {
    return this.accounts.login(body.login, body.password);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return this.accounts.me(principal);
  }
}

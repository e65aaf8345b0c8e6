import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Ip, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Public, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { AccountsService } from './accounts.service.js';
import { ChangePasswordSchema, LoginSchema, type ChangePasswordInput, type LoginInput } from './auth.schemas.js';
import { LoginLockedError } from './login-throttle.js';
import { lockedMessage } from './login-throttle-policy.js';

@ApiTags('accounts')
@Controller('api')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiZodBody(LoginSchema)
  @ApiResponse({ status: 429, description: 'Too many failed attempts for this login or from this address; see Retry-After.' })
  async login(@Body({ schema: LoginSchema }) body: LoginInput, @Ip() address: string, @Res({ passthrough: true }) res: Response) {
    try {
      return await this.accounts.login(body.login, body.password, address);
    } catch (error) {
      throw this.lockedAnswer(error, res);
    }
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return this.accounts.me(principal);
  }

  /** Open to everyone signed in, and the one request allowed after an administrator reset the password. */
  @ApiBearerAuth()
  @Post('account/password')
  @HttpCode(200)
  @ApiZodBody(ChangePasswordSchema)
  @ApiResponse({ status: 429, description: 'Too many wrong current passwords; see Retry-After.' })
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body({ schema: ChangePasswordSchema }) body: ChangePasswordInput,
    @Ip() address: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    try {
      return await this.accounts.changePassword(principal, body, address);
    } catch (error) {
      throw this.lockedAnswer(error, res);
    }
  }

  private lockedAnswer(error: unknown, res: Response): unknown {
    if (!(error instanceof LoginLockedError)) return error;
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
    return new HttpException(
      { statusCode: 429, message: lockedMessage(error.retryAfterSeconds), retryAfterSeconds: error.retryAfterSeconds },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

import { Controller, ForbiddenException, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { QueueBoard } from './queue-board.js';
import { QUEUE_BOARD_PATH, QUEUE_BOARD_TICKET_SECONDS, issueTicket, ticketCookie } from './queue-board-ticket.js';

@ApiTags('operations')
@Controller('api/admin/queue-board')
export class QueueBoardController {
  constructor(private readonly board: QueueBoard) {}

  /**
   * Lets the caller's browser open the queue board: sets its ticket cookie. Committee administrators
   * only; the web app calls this, then opens the board's address.
   */
  @Roles('admin')
  @Post('ticket')
  @HttpCode(HttpStatus.OK)
  async ticket(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ url: string; expiresInSeconds: number }> {
    if (!(await this.board.isCommitteeAdmin(principal.userId))) {
      throw new ForbiddenException('The queue board is for committee administrators only.');
    }
    res.setHeader('Set-Cookie', ticketCookie(issueTicket(this.board.key, principal.userId, Date.now()), req.secure));
    res.setHeader('Cache-Control', 'no-store');
    return { url: `${QUEUE_BOARD_PATH}/`, expiresInSeconds: QUEUE_BOARD_TICKET_SECONDS };
  }
}

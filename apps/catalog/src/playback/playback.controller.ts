import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '#auth';
import { UuidParam } from '../org/org.schemas.js';
import { PlaybackService } from './playback.service.js';

@ApiTags('playback')
@ApiBearerAuth()
@Controller('api')
export class PlaybackController {
  constructor(private readonly playback: PlaybackService) {}

  /** Opens a playback session (superseding the caller's previous one) with signed HLS, audio-only and download URLs. */
  @Post('lectures/:id/playback')
  @HttpCode(201)
  open(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.playback.open(principal, id);
  }
}

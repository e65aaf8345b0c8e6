import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '#auth';
import { UuidParam } from '../org/org.schemas.js';
import { PreviewService } from './preview.service.js';

@ApiTags('playback')
@ApiBearerAuth()
@Controller('api')
export class PreviewController {
  constructor(private readonly previews: PreviewService) {}

  /**
   * Whether a lecture's media can be previewed while it is still being encoded, for the course's
   * editors. The player then opens it with `POST /api/lectures/:id/playback` as usual.
   */
  @Get('lectures/:id/preview')
  lecturePreview(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.previews.lecturePreview(principal, id);
  }
}

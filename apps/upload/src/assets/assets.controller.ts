import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AssetsRepository } from './assets.repository.js';
import { toAssetView } from './asset.view.js';

const IdParam = z.uuid('must be an asset id (uuid)');
const UploadIdParam = z.string().regex(/^[0-9a-f-]{36}$/, 'must be an upload id');
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

@ApiTags('assets')
@ApiBearerAuth()
@Roles('editor', 'admin')
@Controller('api')
export class AssetsController {
  constructor(private readonly assets: AssetsRepository) {}

  /** Status, transcode progress and failure reason of one asset. */
  @Get('assets/:id')
  async get(@Param('id', { schema: IdParam }) id: string) {
    const asset = await this.assets.findById(id);
    if (!asset) throw new NotFoundException('No such media asset.');
    return toAssetView(asset);
  }

  /** The caller's own uploads, newest first. */
  @Get('assets')
  async mine(@CurrentPrincipal() principal: Principal, @Query({ schema: ListQuery }) query: z.infer<typeof ListQuery>) {
    return (await this.assets.listByOwner(principal.userId, query.limit)).map(toAssetView);
  }

  /** The asset behind a tus upload URL, for the uploader who holds that URL. */
  @Get('uploads/:uploadId/asset')
  async byUpload(@CurrentPrincipal() principal: Principal, @Param('uploadId', { schema: UploadIdParam }) uploadId: string) {
    const asset = await this.assets.findByUploadId(uploadId);
    if (!asset || asset.ownerId !== principal.userId) throw new NotFoundException('No such upload of yours.');
    return toAssetView(asset);
  }
}

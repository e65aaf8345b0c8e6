import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles, type Principal } from '#auth';
import { AssetsRepository } from '../assets/assets.repository.js';
import { MaterialUploadsService } from '../materials/material-uploads.service.js';
import { TusService } from './tus.service.js';

const UPLOAD_ID = /^\/files\/([0-9a-f-]{36})$/;

/** Hands tus requests to @tus/server after the global guard checked the token and role. */
@ApiExcludeController()
@Roles('editor')
@Controller('files')
export class TusController {
  constructor(
    private readonly tus: TusService,
    @Inject(AssetsRepository) private readonly assets: AssetsRepository,
    @Inject(MaterialUploadsService) private readonly materials: MaterialUploadsService,
  ) {}

  @All(['', '*path'])
  async handle(@Req() req: Request & { principal?: Principal }, @Res() res: Response): Promise<void> {
    const path = req.originalUrl.split('?')[0].replace(/\/+$/, '');
    if (req.method === 'GET') {
      res.status(405).set('Allow', 'POST, HEAD, PATCH, DELETE, OPTIONS').send('Uploads cannot be downloaded here.\n');
      return;
    }
    if (req.method === 'PATCH' && req.headers['content-type'] !== 'application/offset+octet-stream') {
      // tus 1.0 says 415 here; @tus/server answers a generic 400.
      res.status(415).set('Tus-Resumable', '1.0.0').send('PATCH bodies must be sent as application/offset+octet-stream.\n');
      return;
    }
    if (path !== '/files') {
      // Only the uploader may see or touch an upload; anyone else is told it does not exist.
      const id = UPLOAD_ID.exec(path)?.[1];
      const asset = id ? await this.assets.findByUploadId(id) : null;
      const ownerId = asset ? asset.ownerId : id ? await this.materials.uploaderOf(id) : null;
      if (!ownerId || ownerId !== req.principal?.userId) {
        res.status(404).set('Tus-Resumable', '1.0.0').send('No such upload.\n');
        return;
      }
    }
    await this.tus.handle(req, res);
  }
}

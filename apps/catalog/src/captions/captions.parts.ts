import type { Provider, Type } from '@nestjs/common';
import { LectureCaptionsController, StudioCaptionsController } from './captions.controller.js';
import { CaptionsRepository } from './captions.repository.js';
import { CaptionsService } from './captions.service.js';

/** Captions and transcripts per lecture and language, registered by `CatalogModule`. */
export const captionsControllers: Type[] = [StudioCaptionsController, LectureCaptionsController];
export const captionsProviders: Provider[] = [CaptionsService, CaptionsRepository];

import type { Provider, Type } from '@nestjs/common';
import { PreviewController } from './preview.controller.js';
import { PreviewService } from './preview.service.js';

/** Previewing a set while it is still being encoded, registered by `CatalogModule`. */
export const previewControllers: Type[] = [PreviewController];
export const previewProviders: Provider[] = [PreviewService];

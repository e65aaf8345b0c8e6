import type { Provider, Type } from '@nestjs/common';
import { CatalogDocumentsQueue } from './documents-queue.js';
import { MaterialFilesController, MaterialsController, StudioMaterialsController } from './materials.controller.js';
import { MaterialsRepository } from './materials.repository.js';
import { MaterialsService } from './materials.service.js';

/** Course and lecture materials: listing, signed reading and download, archiving, registered by `CatalogModule`. */
export const materialsControllers: Type[] = [MaterialsController, StudioMaterialsController, MaterialFilesController];
export const materialsProviders: Provider[] = [MaterialsRepository, MaterialsService, CatalogDocumentsQueue];

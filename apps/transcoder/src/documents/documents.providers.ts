import type { Provider } from '@nestjs/common';
import { loadEnv } from '#config';
import { CourseMaterialsRepository } from './course-materials.repository.js';
import { DOCUMENTS_CONFIG, documentsConfigFrom, documentsEnvSchema, type DocumentsConfig } from './documents.config.js';
import { DocumentsService } from './documents.service.js';
import { DocumentsWorker } from './documents.worker.js';

export { DocumentsWorker };
export type { DocumentsConfig };

/**
 * The documents worker's providers, for TranscoderModule: settings from the environment (DOCUMENT_*), with
 * `overrides` on top (tests). The worker takes jobs once main.ts calls its start().
 */
export function documentsProviders(overrides: Partial<DocumentsConfig> = {}): Provider[] {
  return [
    {
      provide: DOCUMENTS_CONFIG,
      useFactory: (): DocumentsConfig => ({ ...documentsConfigFrom(loadEnv(documentsEnvSchema)), ...overrides }),
    },
    CourseMaterialsRepository,
    DocumentsService,
    DocumentsWorker,
  ];
}

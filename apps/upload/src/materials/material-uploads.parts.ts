import type { Provider } from '@nestjs/common';
import { DocumentsQueue } from './documents-queue.js';
import { MaterialReconcilerService } from './material-reconciler.service.js';
import { MaterialUploadsRepository } from './material-uploads.repository.js';
import { MaterialUploadsService } from './material-uploads.service.js';

/** Course materials through the tus endpoint, registered by `UploadModule`. */
export const materialUploadProviders: Provider[] = [
  MaterialUploadsRepository,
  MaterialUploadsService,
  DocumentsQueue,
  MaterialReconcilerService,
];

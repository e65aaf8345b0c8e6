import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '#database';
import { LocalStorage, type Storage } from '#storage';
import { CHUNK_CONFIG, ChunkWorkerService, ChunkedHlsEncoder, type ChunkConfig } from './chunks/chunks.providers.js';
import { documentsProviders, type DocumentsConfig } from './documents/documents.providers.js';
import { MediaAssetsRepository } from './media-assets.repository.js';
import { MediaEventsPublisher } from './media-events.publisher.js';
import { TranscodeProcessor } from './transcode.processor.js';
import { TranscodeService } from './transcode.service.js';
import { TranscodeWorker } from './transcode.worker.js';
import { STORAGE, TRANSCODER_CONFIG, type TranscoderConfig } from './transcoder.config.js';

export interface TranscoderModuleOptions {
  config: TranscoderConfig;
  databaseUrl: string;
  storageDir: string;
  /** A different storage driver (tests); LocalStorage at storageDir by default. */
  storage?: Storage;
  /** Documents worker settings over the environment's DOCUMENT_* ones (tests). */
  documents?: Partial<DocumentsConfig>;
  /** Chunk-parallel encoding; unset, every video is encoded by one ffmpeg and no chunk worker runs. */
  chunks?: ChunkConfig;
}

/** The transcoder: no HTTP, a queue worker with PostgreSQL, storage and the media-events queue. */
@Module({})
export class TranscoderModule {
  static forRoot(options: TranscoderModuleOptions): DynamicModule {
    return {
      module: TranscoderModule,
      imports: [
        TypeOrmModule.forRoot({
          // Plain SQL only: the transcoder writes a few columns of media_assets and owns no entity.
          ...dataSourceOptions(options.databaseUrl, [], Math.max(2, options.config.concurrency + 1)),
          retryAttempts: 30,
          retryDelay: 1000,
        }),
      ],
      providers: [
        { provide: TRANSCODER_CONFIG, useValue: options.config },
        { provide: STORAGE, useValue: options.storage ?? new LocalStorage(options.storageDir) },
        MediaAssetsRepository,
        MediaEventsPublisher,
        TranscodeService,
        TranscodeProcessor,
        TranscodeWorker,
        ...documentsProviders(options.documents),
        ...(options.chunks ? [{ provide: CHUNK_CONFIG, useValue: options.chunks }, ChunkedHlsEncoder, ChunkWorkerService] : []),
      ],
      exports: [TranscodeWorker, MediaEventsPublisher, ...(options.chunks ? [ChunkWorkerService] : [])],
    };
  }
}

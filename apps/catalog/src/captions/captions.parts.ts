import type { Provider, Type } from '@nestjs/common';

/** Captions and transcripts per lecture and language, registered by `CatalogModule`. */
export const captionsControllers: Type[] = [];
export const captionsProviders: Provider[] = [];

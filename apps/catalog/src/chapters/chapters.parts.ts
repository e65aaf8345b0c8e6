import type { Provider, Type } from '@nestjs/common';

/** Chapters of a lecture, registered by `CatalogModule`. */
export const chaptersControllers: Type[] = [];
export const chaptersProviders: Provider[] = [];

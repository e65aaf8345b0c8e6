import type { Provider, Type } from '@nestjs/common';

/** Learning reflections: writing, review, the wall and their reports, registered by `CatalogModule`. */
export const reflectionsControllers: Type[] = [];
export const reflectionsProviders: Provider[] = [];

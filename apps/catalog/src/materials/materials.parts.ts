import type { Provider, Type } from '@nestjs/common';

/** Course and lecture materials: listing, signed reading and download, archiving, registered by `CatalogModule`. */
export const materialsControllers: Type[] = [];
export const materialsProviders: Provider[] = [];

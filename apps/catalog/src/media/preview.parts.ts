import type { Provider, Type } from '@nestjs/common';

/** Previewing a set while it is still being encoded, registered by `CatalogModule`. */
export const previewControllers: Type[] = [];
export const previewProviders: Provider[] = [];

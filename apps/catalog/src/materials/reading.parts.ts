import type { Provider, Type } from '@nestjs/common';

/** Time spent reading materials, and its credit where a plan counts it, registered by `CatalogModule`. */
export const materialReadingControllers: Type[] = [];
export const materialReadingProviders: Provider[] = [];

import type { Provider, Type } from '@nestjs/common';

/** The controllers and providers of the exams' reports part, registered by `CatalogModule`. */
export const reportsControllers: Type[] = [];
export const reportsProviders: Provider[] = [];

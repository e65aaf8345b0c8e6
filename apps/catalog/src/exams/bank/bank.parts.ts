import type { Provider, Type } from '@nestjs/common';

/** The controllers and providers of the exams' bank part, registered by `CatalogModule`. */
export const bankControllers: Type[] = [];
export const bankProviders: Provider[] = [];

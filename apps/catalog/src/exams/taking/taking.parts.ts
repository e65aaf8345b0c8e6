import type { Provider, Type } from '@nestjs/common';

/** The controllers and providers of the exams' taking part, registered by `CatalogModule`. */
export const takingControllers: Type[] = [];
export const takingProviders: Provider[] = [];

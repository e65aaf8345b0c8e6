import type { Provider, Type } from '@nestjs/common';

/** The per-unit activity rollups behind the trend, course and lecture reports, registered by `CatalogModule`. */
export const activityControllers: Type[] = [];
export const activityProviders: Provider[] = [];

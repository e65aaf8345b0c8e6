import type { Provider, Type } from '@nestjs/common';

/** Group study sessions, attendance and check-in codes, registered by `CatalogModule`. */
export const groupSessionsControllers: Type[] = [];
export const groupSessionsProviders: Provider[] = [];

import type { Provider, Type } from '@nestjs/common';

/** Questionnaires: authoring, audience and members filling them in, registered by `CatalogModule`. */
export const questionnairesControllers: Type[] = [];
export const questionnairesProviders: Provider[] = [];

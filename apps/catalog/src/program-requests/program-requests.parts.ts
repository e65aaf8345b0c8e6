import type { Provider, Type } from '@nestjs/common';

/** Programs on demand: requests, votes, answers and their reports, registered by `CatalogModule`. */
export const programRequestsControllers: Type[] = [];
export const programRequestsProviders: Provider[] = [];

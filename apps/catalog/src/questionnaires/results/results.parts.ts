import type { Provider, Type } from '@nestjs/common';

/** Questionnaire results: charts, breakdowns, free text, exports and response rates, registered by `CatalogModule`. */
export const questionnaireResultsControllers: Type[] = [];
export const questionnaireResultsProviders: Provider[] = [];

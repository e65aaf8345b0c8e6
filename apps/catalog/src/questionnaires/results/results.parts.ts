import type { Provider, Type } from '@nestjs/common';
import { QuestionnaireResultsController } from './results.controller.js';
import { QuestionnaireResultsService } from './results.service.js';
import { QuestionnaireResponsesService } from './responses.service.js';

/** Questionnaire results: charts, breakdowns, free text, exports and response rates, registered by `CatalogModule`. */
export const questionnaireResultsControllers: Type[] = [QuestionnaireResultsController];
export const questionnaireResultsProviders: Provider[] = [QuestionnaireResultsService, QuestionnaireResponsesService];

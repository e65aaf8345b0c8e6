import type { Provider, Type } from '@nestjs/common';
import { FillingController } from './filling.controller.js';
import { FillingService } from './filling.service.js';
import { QuestionnairesController } from './questionnaires.controller.js';
import { QuestionnairesService } from './questionnaires.service.js';

/** Questionnaires: authoring, audience and members filling them in, registered by `CatalogModule`. */
export const questionnairesControllers: Type[] = [QuestionnairesController, FillingController];
export const questionnairesProviders: Provider[] = [QuestionnairesService, FillingService];

import type { Provider, Type } from '@nestjs/common';
import { ExamImagesService } from './exam-images.js';
import { ExamsController } from './exams.controller.js';
import { ExamsService } from './exams.service.js';
import { QuestionImportController } from './question-import.controller.js';
import { QuestionImportService } from './question-import.service.js';
import { QuestionsController } from './questions.controller.js';
import { QuestionsService } from './questions.service.js';

/** The controllers and providers of the exams' bank part, registered by `CatalogModule`. */
export const bankControllers: Type[] = [QuestionsController, QuestionImportController, ExamsController];
export const bankProviders: Provider[] = [QuestionsService, ExamImagesService, QuestionImportService, ExamsService];

import type { Provider, Type } from '@nestjs/common';
import { AnswerEndpoint } from './answer-endpoint.js';
import { AnswerWriter } from './answer-writer.js';
import { AttemptSubmission } from './attempt-submission.js';
import { AttemptSweeper } from './attempt-sweeper.js';
import { GradingController } from './grading.controller.js';
import { GradingService } from './grading.service.js';
import { IntegrityController } from './integrity.controller.js';
import { IntegrityService } from './integrity.service.js';
import { TakingController } from './taking.controller.js';
import { TakingService } from './taking.service.js';

/** The controllers and providers of the exams' taking part, registered by `CatalogModule`. */
export const takingControllers: Type[] = [TakingController, GradingController, IntegrityController];
export const takingProviders: Provider[] = [
  AnswerEndpoint,
  AnswerWriter,
  AttemptSubmission,
  AttemptSweeper,
  TakingService,
  GradingService,
  IntegrityService,
];

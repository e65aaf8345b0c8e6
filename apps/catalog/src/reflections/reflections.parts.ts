import type { Provider, Type } from '@nestjs/common';
import { ReflectionReviewController, ReflectionsController, ReflectionsReportController } from './reflections.controller.js';
import { ReflectionsReportService } from './reflections-report.js';
import { ReflectionsService } from './reflections.service.js';

/** Learning reflections: writing, review, the wall and their reports, registered by `CatalogModule`. */
export const reflectionsControllers: Type[] = [ReflectionsController, ReflectionReviewController, ReflectionsReportController];
export const reflectionsProviders: Provider[] = [ReflectionsService, ReflectionsReportService];

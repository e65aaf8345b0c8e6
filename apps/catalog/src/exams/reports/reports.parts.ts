import type { Provider, Type } from '@nestjs/common';
import { ExamReportsController } from './exam-reports.controller.js';
import { ExamReportService } from './exam-report.service.js';

/** The controllers and providers of the exams' reports part, registered by `CatalogModule`. */
export const reportsControllers: Type[] = [ExamReportsController];
export const reportsProviders: Provider[] = [ExamReportService];

import type { Provider, Type } from '@nestjs/common';
import { ActivityRollupMetrics } from './activity-metrics.js';
import { ActivityReportsService } from './activity-reports.service.js';

/** The per-unit activity rollups behind the trend, course and lecture reports, registered by `CatalogModule`. */
export const activityControllers: Type[] = [];
export const activityProviders: Provider[] = [ActivityReportsService, ActivityRollupMetrics];

import type { Provider, Type } from '@nestjs/common';
import { AttendanceMakeupService } from './attendance-makeup.service.js';
import { AttendanceReportsController } from './attendance-reports.controller.js';
import { AttendanceReportsService } from './attendance-reports.service.js';

/** Group study reports by unit and member, and make-up for absentees, registered by `CatalogModule`. */
export const attendanceReportsControllers: Type[] = [AttendanceReportsController];
export const attendanceReportsProviders: Provider[] = [AttendanceReportsService, AttendanceMakeupService];

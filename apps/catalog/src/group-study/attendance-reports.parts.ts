import type { Provider, Type } from '@nestjs/common';

/** Group study reports by unit and member, and make-up for absentees, registered by `CatalogModule`. */
export const attendanceReportsControllers: Type[] = [];
export const attendanceReportsProviders: Provider[] = [];

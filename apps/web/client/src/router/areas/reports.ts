// Reports and study plans for admins and inspectors, fetched on first use.
export { CourseReportDetailPage, CourseReportPage, LectureReportPage } from '../../reports/course-report-pages.js';
export { MemberReportPage } from '../../reports/member-page.js';
export { NewPlanPage } from '../../reports/new-plan-page.js';
export { PlanMembersPage } from '../../reports/plan-members-page.js';
export { PlanOverviewPage } from '../../reports/plan-overview-page.js';
export { PlansPage } from '../../reports/plans-page.js';
export { ReportsPage } from '../../reports/reports-page.js';
export { UnitStudyPage } from '../../reports/unit-study-page.js';
export { AttemptAuditPage } from '../../exams/admin/attempt-audit-page.js';
export { ExamReportPage } from '../../exams/admin/exam-report-page.js';
export { ExamReportsPage } from '../../exams/admin/exam-reports-page.js';
export { RequestsReportPage } from '../../voice/requests/requests-report-page.js';
export { ReflectionsReportPage } from '../../voice/reflections/reflections-report-page.js';
export { AttendanceReportPage } from '../../group/reports/attendance-report-page.js';

import type { VNode } from 'preact';
import type { Role } from '../api/types.js';
import { CoursePage } from '../pages/course-page.js';
import { CoursesPage } from '../pages/courses-page.js';
import { LecturePage } from '../pages/lecture-page.js';
import { ChangePasswordPage } from '../pages/change-password-page.js';
import { StudyPage } from '../pages/study-page.js';
import { StudyRecordPage } from '../pages/study-record-page.js';
import { VerifyRecordPage } from '../pages/verify-record-page.js';
import { AttemptPage } from '../exams/member/attempt-page.js';
import { AttemptResultPage } from '../exams/member/attempt-result-page.js';
import { ExamDetailPage } from '../exams/member/exam-detail-page.js';
import { MyExamsPage } from '../exams/member/my-exams-page.js';
import { ParticipatePage } from '../voice/participate-page.js';
import { QuestionnaireFillPage } from '../voice/questionnaires/questionnaire-fill-page.js';
import { RequestPage } from '../voice/requests/request-page.js';
import { RequestsPage } from '../voice/requests/requests-page.js';
import { MyReflectionsPage } from '../voice/reflections/my-reflections-page.js';
import { ReflectionEditPage } from '../voice/reflections/reflection-edit-page.js';
import { ReflectionWallPage } from '../voice/reflections/reflection-wall-page.js';
import { ReviewPage } from '../voice/reflections/review-page.js';
import { ReviewQueuePage } from '../voice/reflections/review-queue-page.js';
import { GroupPage } from '../group/group-page.js';
import { NewGroupSessionPage } from '../group/new-session-page.js';
import { GroupSessionPage } from '../group/session-page.js';
import { GroupScreenPage } from '../group/screen-page.js';
import { CheckinPage } from '../group/checkin-page.js';
import { matchPattern, type RouteParams } from './match.js';
import { MaterialReaderPage } from '../materials/reader-page.js';
import { lazyPage } from './lazy-page.js';

// Members' pages come with the first load; the studio, administration, reports and staff pages are fetched
// the first time one of them is opened, one chunk per area.
const studio = () => import('./areas/studio.js');
const organisation = () => import('./areas/organisation.js');
const reports = () => import('./areas/reports.js');
const staff = () => import('./areas/staff.js');
const CourseEditorPage = lazyPage(() => studio().then((area) => area.CourseEditorPage));
const NewCoursePage = lazyPage(() => studio().then((area) => area.NewCoursePage));
const StudioPage = lazyPage(() => studio().then((area) => area.StudioPage));
const ExamEditPage = lazyPage(() => studio().then((area) => area.ExamEditPage));
const ExamListPage = lazyPage(() => studio().then((area) => area.ExamListPage));
const QuestionBankPage = lazyPage(() => studio().then((area) => area.QuestionBankPage));
const QuestionEditPage = lazyPage(() => studio().then((area) => area.QuestionEditPage));
const QuestionImportPage = lazyPage(() => studio().then((area) => area.QuestionImportPage));
const CaptionsEditorPage = lazyPage(() => studio().then((area) => area.CaptionsEditorPage));
const ChaptersEditorPage = lazyPage(() => studio().then((area) => area.ChaptersEditorPage));
const LecturePreviewPage = lazyPage(() => studio().then((area) => area.LecturePreviewPage));
const ClassPage = lazyPage(() => organisation().then((area) => area.ClassPage));
const ClassesPage = lazyPage(() => organisation().then((area) => area.ClassesPage));
const ImportPage = lazyPage(() => organisation().then((area) => area.ImportPage));
const MemberPage = lazyPage(() => organisation().then((area) => area.MemberPage));
const MembersPage = lazyPage(() => organisation().then((area) => area.MembersPage));
const SettingsPage = lazyPage(() => organisation().then((area) => area.SettingsPage));
const TransfersPage = lazyPage(() => organisation().then((area) => area.TransfersPage));
const UnitsPage = lazyPage(() => organisation().then((area) => area.UnitsPage));
const CourseReportDetailPage = lazyPage(() => reports().then((area) => area.CourseReportDetailPage));
const CourseReportPage = lazyPage(() => reports().then((area) => area.CourseReportPage));
const LectureReportPage = lazyPage(() => reports().then((area) => area.LectureReportPage));
const MemberReportPage = lazyPage(() => reports().then((area) => area.MemberReportPage));
const NewPlanPage = lazyPage(() => reports().then((area) => area.NewPlanPage));
const PlanMembersPage = lazyPage(() => reports().then((area) => area.PlanMembersPage));
const PlanOverviewPage = lazyPage(() => reports().then((area) => area.PlanOverviewPage));
const PlansPage = lazyPage(() => reports().then((area) => area.PlansPage));
const ReportsPage = lazyPage(() => reports().then((area) => area.ReportsPage));
const UnitStudyPage = lazyPage(() => reports().then((area) => area.UnitStudyPage));
const AttemptAuditPage = lazyPage(() => reports().then((area) => area.AttemptAuditPage));
const ExamReportPage = lazyPage(() => reports().then((area) => area.ExamReportPage));
const ExamReportsPage = lazyPage(() => reports().then((area) => area.ExamReportsPage));
const RequestsReportPage = lazyPage(() => reports().then((area) => area.RequestsReportPage));
const ReflectionsReportPage = lazyPage(() => reports().then((area) => area.ReflectionsReportPage));
const AttendanceReportPage = lazyPage(() => reports().then((area) => area.AttendanceReportPage));
const GradingQuestionPage = lazyPage(() => staff().then((area) => area.GradingQuestionPage));
const GradingQueuePage = lazyPage(() => staff().then((area) => area.GradingQueuePage));
const VoicePage = lazyPage(() => staff().then((area) => area.VoicePage));
const QuestionnaireEditPage = lazyPage(() => staff().then((area) => area.QuestionnaireEditPage));
const QuestionnaireListPage = lazyPage(() => staff().then((area) => area.QuestionnaireListPage));
const QuestionnaireResultsPage = lazyPage(() => staff().then((area) => area.QuestionnaireResultsPage));
const ResponseRatePage = lazyPage(() => staff().then((area) => area.ResponseRatePage));
const DemandPage = lazyPage(() => staff().then((area) => area.DemandPage));
const DemandRequestPage = lazyPage(() => staff().then((area) => area.DemandRequestPage));

type NavKey =
  | 'nav.study'
  | 'nav.courses'
  | 'nav.exams'
  | 'nav.participate'
  | 'nav.studio'
  | 'nav.grading'
  | 'nav.voice'
  | 'nav.group'
  | 'nav.organisation'
  | 'nav.reports';

export interface AppRoute {
  /** A path, or a pattern with ":name" segments. */
  path: string;
  /** Set on the pages the navigation bar lists. */
  navKey?: NavKey;
  /** The navigation entry shown as current on this page. */
  section: string;
  roles: readonly Role[];
  render: (params: RouteParams) => VNode;
}

const learners: readonly Role[] = ['member', 'editor'];
// The upload service accepts media from editors only, so the studio is theirs.
const editors: readonly Role[] = ['editor'];
const admins: readonly Role[] = ['admin'];
// Inspectors read what admins read and change nothing.
const readers: readonly Role[] = ['admin', 'inspector'];
const everyone: readonly Role[] = ['member', 'editor', 'admin', 'inspector'];
// Short answers are graded by editors and by admins of the member's unit.
const graders: readonly Role[] = ['editor', 'admin'];
// Reflections are reviewed by group leaders and secretaries (members holding a position), editors and admins;
// the server decides whose reflections each may review.
const reviewers: readonly Role[] = ['member', 'editor', 'admin'];
// Every member checks in to group study; group leaders and secretaries (members holding a position), and admins,
// run sessions: the server decides for which units.
const groupStudy: readonly Role[] = ['member', 'editor', 'admin'];

// Order here is the order of the navigation bar; a role's first route is its start page.
export const routes: readonly AppRoute[] = [
  { path: '/study', navKey: 'nav.study', section: '/study', roles: learners, render: () => <StudyPage /> },
  { path: '/study/record', section: '/study', roles: learners, render: () => <StudyRecordPage /> },
  { path: '/courses', navKey: 'nav.courses', section: '/courses', roles: learners, render: () => <CoursesPage /> },
  { path: '/courses/:id', section: '/courses', roles: learners, render: ({ id }) => <CoursePage key={id} courseId={id!} /> },
  { path: '/lectures/:id', section: '/courses', roles: learners, render: ({ id }) => <LecturePage key={id} lectureId={id!} /> },
  { path: '/exams', navKey: 'nav.exams', section: '/exams', roles: learners, render: () => <MyExamsPage /> },
  { path: '/exams/:id', section: '/exams', roles: learners, render: ({ id }) => <ExamDetailPage key={id} examId={id!} /> },
  { path: '/attempts/:id', section: '/exams', roles: learners, render: ({ id }) => <AttemptPage key={id} attemptId={id!} /> },
  {
    path: '/attempts/:id/result',
    section: '/exams',
    roles: learners,
    render: ({ id }) => <AttemptResultPage key={id} attemptId={id!} />,
  },
  { path: '/participate', navKey: 'nav.participate', section: '/participate', roles: learners, render: () => <ParticipatePage /> },
  {
    path: '/questionnaires/:id',
    section: '/participate',
    roles: learners,
    render: ({ id }) => <QuestionnaireFillPage key={id} questionnaireId={id!} />,
  },
  { path: '/requests', section: '/participate', roles: learners, render: () => <RequestsPage /> },
  { path: '/requests/:id', section: '/participate', roles: learners, render: ({ id }) => <RequestPage key={id} requestId={id!} /> },
  { path: '/reflections', section: '/participate', roles: learners, render: () => <MyReflectionsPage /> },
  { path: '/reflections/wall', section: '/participate', roles: learners, render: () => <ReflectionWallPage /> },
  { path: '/reflections/new', section: '/participate', roles: learners, render: () => <ReflectionEditPage /> },
  {
    path: '/reflections/:id',
    section: '/participate',
    roles: learners,
    render: ({ id }) => <ReflectionEditPage key={id} reflectionId={id!} />,
  },
  { path: '/review/reflections', section: '/review', roles: reviewers, render: () => <ReviewQueuePage /> },
  {
    path: '/review/reflections/:id',
    section: '/review',
    roles: reviewers,
    render: ({ id }) => <ReviewPage key={id} reflectionId={id!} />,
  },
  { path: '/studio', navKey: 'nav.studio', section: '/studio', roles: editors, render: () => <StudioPage /> },
  { path: '/studio/new', section: '/studio', roles: editors, render: () => <NewCoursePage /> },
  { path: '/studio/courses/:id', section: '/studio', roles: editors, render: ({ id }) => <CourseEditorPage key={id} courseId={id!} /> },
  { path: '/studio/questions', section: '/studio', roles: editors, render: () => <QuestionBankPage /> },
  { path: '/studio/questions/new', section: '/studio', roles: editors, render: () => <QuestionEditPage /> },
  { path: '/studio/questions/import', section: '/studio', roles: editors, render: () => <QuestionImportPage /> },
  {
    path: '/studio/questions/:id',
    section: '/studio',
    roles: editors,
    render: ({ id }) => <QuestionEditPage key={id} questionId={id!} />,
  },
  { path: '/studio/exams', section: '/studio', roles: editors, render: () => <ExamListPage /> },
  { path: '/studio/exams/new', section: '/studio', roles: editors, render: () => <ExamEditPage /> },
  { path: '/studio/exams/:id', section: '/studio', roles: editors, render: ({ id }) => <ExamEditPage key={id} examId={id!} /> },
  { path: '/organisation', navKey: 'nav.organisation', section: '/organisation', roles: admins, render: () => <UnitsPage /> },
  { path: '/organisation/members', section: '/organisation', roles: admins, render: () => <MembersPage /> },
  {
    path: '/organisation/members/:id',
    section: '/organisation',
    roles: admins,
    render: ({ id }) => <MemberPage key={id} memberId={id!} />,
  },
  { path: '/organisation/import', section: '/organisation', roles: admins, render: () => <ImportPage /> },
  { path: '/organisation/classes', section: '/organisation', roles: admins, render: () => <ClassesPage /> },
  { path: '/organisation/classes/:id', section: '/organisation', roles: admins, render: ({ id }) => <ClassPage key={id} classId={id!} /> },
  { path: '/organisation/transfers', section: '/organisation', roles: admins, render: () => <TransfersPage /> },
  { path: '/organisation/settings', section: '/organisation', roles: admins, render: () => <SettingsPage /> },
  { path: '/reports', navKey: 'nav.reports', section: '/reports', roles: readers, render: () => <ReportsPage /> },
  { path: '/reports/plans/:id', section: '/reports', roles: readers, render: ({ id }) => <PlanOverviewPage key={id} planId={id!} /> },
  {
    path: '/reports/plans/:id/members',
    section: '/reports',
    roles: readers,
    render: ({ id }) => <PlanMembersPage key={id} planId={id!} />,
  },
  { path: '/reports/members/:id', section: '/reports', roles: readers, render: ({ id }) => <MemberReportPage key={id} userId={id!} /> },
  { path: '/reports/units', section: '/reports', roles: readers, render: () => <UnitStudyPage /> },
  { path: '/reports/courses', section: '/reports', roles: readers, render: () => <CourseReportPage /> },
  {
    path: '/reports/courses/:id',
    section: '/reports',
    roles: readers,
    render: ({ id }) => <CourseReportDetailPage key={id} courseId={id!} />,
  },
  {
    path: '/reports/lectures/:id',
    section: '/reports',
    roles: readers,
    render: ({ id }) => <LectureReportPage key={id} lectureId={id!} />,
  },
  { path: '/reports/requests', section: '/reports', roles: readers, render: () => <RequestsReportPage /> },
  { path: '/reports/reflections', section: '/reports', roles: readers, render: () => <ReflectionsReportPage /> },
  { path: '/reports/exams', section: '/reports', roles: readers, render: () => <ExamReportsPage /> },
  { path: '/reports/exams/:id', section: '/reports', roles: readers, render: ({ id }) => <ExamReportPage key={id} examId={id!} /> },
  {
    path: '/reports/attempts/:id',
    section: '/reports',
    roles: readers,
    render: ({ id }) => <AttemptAuditPage key={id} attemptId={id!} />,
  },
  { path: '/grading', navKey: 'nav.grading', section: '/grading', roles: graders, render: () => <GradingQueuePage /> },
  {
    path: '/grading/exams/:examId/questions/:questionId',
    section: '/grading',
    roles: graders,
    render: ({ examId, questionId }) => <GradingQuestionPage key={`${examId}/${questionId}`} examId={examId!} questionId={questionId!} />,
  },
  { path: '/voice', navKey: 'nav.voice', section: '/voice', roles: graders, render: () => <VoicePage /> },
  { path: '/voice/questionnaires', section: '/voice', roles: graders, render: () => <QuestionnaireListPage /> },
  { path: '/voice/questionnaires/new', section: '/voice', roles: graders, render: () => <QuestionnaireEditPage /> },
  {
    path: '/voice/questionnaires/:id',
    section: '/voice',
    roles: graders,
    render: ({ id }) => <QuestionnaireEditPage key={id} questionnaireId={id!} />,
  },
  {
    path: '/voice/questionnaires/:id/results',
    section: '/voice',
    roles: graders,
    render: ({ id }) => <QuestionnaireResultsPage key={id} questionnaireId={id!} />,
  },
  {
    path: '/voice/questionnaires/:id/responses',
    section: '/voice',
    roles: graders,
    render: ({ id }) => <ResponseRatePage key={id} questionnaireId={id!} />,
  },
  { path: '/voice/requests', section: '/voice', roles: graders, render: () => <DemandPage /> },
  {
    path: '/voice/requests/:id',
    section: '/voice',
    roles: graders,
    render: ({ id }) => <DemandRequestPage key={id} requestId={id!} />,
  },
  // Study plans are managed from the reports (the navigation bar keeps two entries for admins).
  { path: '/plans', section: '/reports', roles: readers, render: () => <PlansPage /> },
  { path: '/plans/new', section: '/reports', roles: admins, render: () => <NewPlanPage /> },
  { path: '/account/password', section: '/account', roles: everyone, render: () => <ChangePasswordPage /> },
  { path: '/group', navKey: 'nav.group', section: '/group', roles: groupStudy, render: () => <GroupPage /> },
  { path: '/group/new', section: '/group', roles: groupStudy, render: () => <NewGroupSessionPage /> },
  { path: '/group/sessions/:id', section: '/group', roles: groupStudy, render: ({ id }) => <GroupSessionPage key={id} sessionId={id!} /> },
  {
    path: '/group/sessions/:id/screen',
    section: '/group',
    roles: groupStudy,
    render: ({ id }) => <GroupScreenPage key={id} sessionId={id!} />,
  },
  { path: '/checkin', section: '/group', roles: groupStudy, render: () => <CheckinPage /> },
  { path: '/reports/group', section: '/reports', roles: readers, render: () => <AttendanceReportPage /> },
  { path: '/materials/:id', section: '/courses', roles: learners, render: ({ id }) => <MaterialReaderPage key={id} materialId={id!} /> },
  {
    path: '/studio/lectures/:id/captions',
    section: '/studio',
    roles: editors,
    render: ({ id }) => <CaptionsEditorPage key={id} lectureId={id!} />,
  },
  {
    path: '/studio/lectures/:id/chapters',
    section: '/studio',
    roles: editors,
    render: ({ id }) => <ChaptersEditorPage key={id} lectureId={id!} />,
  },
  {
    path: '/studio/lectures/:id/preview',
    section: '/studio',
    roles: editors,
    render: ({ id }) => <LecturePreviewPage key={id} lectureId={id!} />,
  },
];

export const loginPath = '/login';

export interface PublicRoute {
  path: string;
  render: (params: RouteParams) => VNode;
}

/** Pages anyone may open, signed in or not (a printed record's QR code is scanned by someone else's phone). */
export const publicRoutes: readonly PublicRoute[] = [
  { path: '/verify/:code', render: ({ code }) => <VerifyRecordPage key={code} code={code!} /> },
];

export function matchPublicRoute(path: string): { route: PublicRoute; params: RouteParams } | null {
  for (const route of publicRoutes) {
    const params = matchPattern(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

export interface RouteMatch {
  route: AppRoute;
  params: RouteParams;
}

/** The route for a path (any role when none is given). */
export function matchRoute(path: string, role?: Role): RouteMatch | null {
  for (const route of routes) {
    if (role && !route.roles.includes(role)) continue;
    const params = matchPattern(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

export function routesFor(role: Role): AppRoute[] {
  return routes.filter((route) => route.roles.includes(role));
}

export function navRoutesFor(role: Role): AppRoute[] {
  return routesFor(role).filter((route) => route.navKey);
}

/** Who a page is for, as the page shown to everyone else names them. */
export type Audience = 'learners' | 'editors' | 'admins' | 'readers' | 'graders' | 'everyone';

const audiences: ReadonlyArray<[Audience, readonly Role[]]> = [
  ['learners', learners],
  ['editors', editors],
  ['admins', admins],
  ['readers', readers],
  ['graders', graders],
  ['everyone', everyone],
];

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((role) => b.includes(role));

export function audienceOf(route: AppRoute): Audience {
  return audiences.find(([, roles]) => sameRoles(roles, route.roles))?.[0] ?? 'everyone';
}

export function homePathFor(role: Role): string {
  return navRoutesFor(role)[0]?.path ?? '/';
}

import { AccountsAndOrgTree1732000000000 } from './1732000000000-accounts-and-org-tree.js';
import { MediaAssets1732000001000 } from './1732000001000-media-assets.js';
import { CoursesAndLectures1732000002000 } from './1732000002000-courses-and-lectures.js';
import { StudyTracking1732000003000 } from './1732000003000-study-tracking.js';
import { PlanResults1732000004000 } from './1732000004000-plan-results.js';
import { PlanRollups1732000005000 } from './1732000005000-plan-rollups.js';
import { HeartbeatWritePath1732000006000 } from './1732000006000-heartbeat-write-path.js';
import { SessionEndReason1732000007000 } from './1732000007000-session-end-reason.js';
import { CourseOwnerUnit1732000008000 } from './1732000008000-course-owner-unit.js';
import { RecordsKept1732000009000 } from './1732000009000-records-kept.js';
import { CreditingWindow1732000010000 } from './1732000010000-crediting-window.js';
import { Organisation1732000011000 } from './1732000011000-organisation.js';
import { MemberImports1732000012000 } from './1732000012000-member-imports.js';
import { MemberListOrder1732000013000 } from './1732000013000-member-list-order.js';
import { UnitPeriodsByStatement1732000014000 } from './1732000014000-unit-periods-by-statement.js';
import { StudyRecords1732000015000 } from './1732000015000-study-records.js';
import { Exams1732000016000 } from './1732000016000-exams.js';
import { ExamCreditRollup1732000018000 } from './1732000018000-exam-credit-rollup.js';
import { ExamPlanRollup1732000017000 } from './1732000017000-exam-plan-rollup.js';
import { MediaSweeps1732000019000 } from './1732000019000-media-sweeps.js';
import { RollupChunks1732000020000 } from './1732000020000-rollup-chunks.js';
import { MemberNotices1732000021000 } from './1732000021000-member-notices.js';
import { ActivityRollups1732000022000 } from './1732000022000-activity-rollups.js';
import { Questionnaires1732000023000 } from './1732000023000-questionnaires.js';
import { ProgramRequests1732000024000 } from './1732000024000-program-requests.js';
import { Reflections1732000025000 } from './1732000025000-reflections.js';
import { PlanReflections1732000026000 } from './1732000026000-plan-reflections.js';
import { StudyKinds1732000027000 } from './1732000027000-study-kinds.js';
import { GroupSessions1732000028000 } from './1732000028000-group-sessions.js';
import { AttentionCheckins1732000029000 } from './1732000029000-attention-checkins.js';
import { PlanStudyRules1732000030000 } from './1732000030000-plan-study-rules.js';
import { GroupSessionReports1732000031000 } from './1732000031000-group-session-reports.js';
import { Materials1732000032000 } from './1732000032000-materials.js';
import { MaterialReading1732000033000 } from './1732000033000-material-reading.js';
import { Captions1732000034000 } from './1732000034000-captions.js';
import { Chapters1732000035000 } from './1732000035000-chapters.js';
import { ProgressivePreview1732000036000 } from './1732000036000-progressive-preview.js';
import { ChunkedEncoding1732000037000 } from './1732000037000-chunked-encoding.js';
import { EarlyPublish1732000038000 } from './1732000038000-early-publish.js';
import { SearchTermsAfterDigits1732000039000 } from './1732000039000-search-terms-after-digits.js';
import { PreviewSweepIndex1732000040000 } from './1732000040000-preview-sweep-index.js';

/** Every migration in order; listed explicitly so compiled and test builds load the same set. */
export const migrations = [
  AccountsAndOrgTree1732000000000,
  MediaAssets1732000001000,
  CoursesAndLectures1732000002000,
  StudyTracking1732000003000,
  PlanResults1732000004000,
  PlanRollups1732000005000,
  HeartbeatWritePath1732000006000,
  SessionEndReason1732000007000,
  CourseOwnerUnit1732000008000,
  RecordsKept1732000009000,
  CreditingWindow1732000010000,
  Organisation1732000011000,
  MemberImports1732000012000,
  MemberListOrder1732000013000,
  UnitPeriodsByStatement1732000014000,
  StudyRecords1732000015000,
  Exams1732000016000,
  ExamPlanRollup1732000017000,
  ExamCreditRollup1732000018000,
  MediaSweeps1732000019000,
  RollupChunks1732000020000,
  MemberNotices1732000021000,
  ActivityRollups1732000022000,
  Questionnaires1732000023000,
  ProgramRequests1732000024000,
  Reflections1732000025000,
  PlanReflections1732000026000,
  StudyKinds1732000027000,
  GroupSessions1732000028000,
  AttentionCheckins1732000029000,
  PlanStudyRules1732000030000,
  GroupSessionReports1732000031000,
  Materials1732000032000,
  MaterialReading1732000033000,
  Captions1732000034000,
  Chapters1732000035000,
  ProgressivePreview1732000036000,
  ChunkedEncoding1732000037000,
  EarlyPublish1732000038000,
  SearchTermsAfterDigits1732000039000,
  PreviewSweepIndex1732000040000,
];

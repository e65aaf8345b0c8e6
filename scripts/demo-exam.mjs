// Publishes a demo exam on a fresh installation the way an editor would: five questions of the five kinds in
// the bank, then a fixed paper open to the whole organisation for a year. Runs once, after the demo course.
// Node built-ins only at the top: npm start loads this file before set-up has installed the packages.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api } from './demo-api.mjs';
import { ROOT } from './setup-steps.mjs';

const DONE_MARKER = join(ROOT, 'var', 'demo-exam.done');
export const DEMO_EXAM_TITLE = '示范课结业测试';

const blankQuestion = (fields) => ({
  options: [],
  points: 20,
  explanation: '',
  topic: '基层工作方法',
  courseId: null,
  lectureId: null,
  difficulty: 2,
  tags: [],
  imageId: null,
  ...fields,
});

const QUESTIONS = [
  blankQuestion({
    kind: 'single',
    stem: '开展调查研究，最基本的方法是什么？',
    options: [
      { key: 'A', text: '坐在办公室看材料' },
      { key: 'B', text: '深入群众、实地走访' },
      { key: 'C', text: '只听汇报' },
    ],
    answer: { keys: ['B'] },
    explanation: '调查研究要“身入”更要“心至”，深入群众、实地走访是最基本的方法。',
  }),
  blankQuestion({
    kind: 'multiple',
    stem: '下列哪些做法有助于联系群众？（多选）',
    options: [
      { key: 'A', text: '定期走访' },
      { key: 'B', text: '设立意见箱' },
      { key: 'C', text: '拒绝接待来访' },
      { key: 'D', text: '召开恳谈会' },
    ],
    answer: { keys: ['A', 'B', 'D'] },
    explanation: '走访、意见箱和恳谈会都是听取群众意见的渠道。',
  }),
  blankQuestion({
    kind: 'true_false',
    stem: '节水灌溉可以在保证产量的同时减少用水。',
    answer: { value: true },
    topic: '农业科技',
    explanation: '滴灌、喷灌等节水灌溉技术按作物需要供水，既省水又稳产。',
  }),
  blankQuestion({
    kind: 'fill_blank',
    stem: '大棚蔬菜种植要注意通风，一般在晴天的 ____ 打开风口。',
    answer: { blanks: [['上午', '中午', '上午或中午']] },
    topic: '农业科技',
    explanation: '晴天上午或中午气温升高时通风，可以降温排湿。',
  }),
  blankQuestion({
    kind: 'short_answer',
    stem: '结合本村实际，谈谈你准备怎样把学到的方法用到工作中。',
    answer: { reference: '能结合实际、说出一两条具体做法即可给满分。' },
  }),
];

/**
 * Publishes the demo exam unless it was done before or the installation has exams of its own. Answers
 * 'published' or 'skipped'.
 */
export async function publishDemoExam(base, password, log = console.log) {
  if (existsSync(DONE_MARKER)) return 'published';
  const { accessToken: token } = await api(base, '/api/auth/login', null, { login: 'editor', password });
  const exams = await api(base, '/api/exams?limit=50', token);
  const existing = exams.items.find((exam) => exam.title === DEMO_EXAM_TITLE);
  if (!existing && exams.items.length > 0) {
    writeFileSync(DONE_MARKER, 'skipped: exams exist\n');
    return 'skipped';
  }
  let exam = existing;
  if (!exam) {
    const me = await api(base, '/api/me', token);
    const questionIds = [];
    for (const question of QUESTIONS) questionIds.push((await api(base, '/api/exam-questions', token, question)).id);
    const now = Date.now();
    exam = await api(base, '/api/exams', token, {
      title: DEMO_EXAM_TITLE,
      description: '学完示范课后参加：五道题，限时 20 分钟，60 分及格，可以考三次。简答题由阅卷人评分。',
      paperKind: 'fixed',
      fixedItems: questionIds.map((questionId) => ({ questionId })),
      drawRules: [],
      timeLimitMin: 20,
      passPercent: 60,
      maxAttempts: 3,
      shuffleQuestions: false,
      shuffleOptions: true,
      multipleScoring: 'partial',
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 365 * 86_400_000).toISOString(),
      showAnswers: true,
      creditHours: 0.5,
      requiresCourseId: null,
      requiresPlanId: null,
      requiresShare: null,
      preExamId: null,
      audience: { unitIds: [me.orgUnit.id], categories: [], positions: [], classIds: [] },
    });
  }
  if (exam.status !== 'published') exam = await api(base, `/api/exams/${exam.id}/publish`, token, {});
  writeFileSync(DONE_MARKER, `${exam.id}\n`);
  log(`Demo exam "${exam.title}" is published: members find it under 考试 (Exams).`);
  return 'published';
}

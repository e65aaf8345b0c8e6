import { examReport, type ExamQuestionRow, type ExamReport, type ExamUnitRow } from '../../api/exam-admin.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { BarChart } from '../../components/charts.js';
import { Page } from '../../components/page.js';
import { count, shareText } from '../../format/numbers.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { NumericCell } from '../../reports/numeric-cell.js';
import { adminPaths } from '../../reports/paths.js';
import { ExamMembers } from './exam-members.js';
import { examAdminPaths, percent, pointsText, worstFirst } from './shared.js';
import './exam-admin.css';
import { Stat } from '../../components/stat.js';

/** One exam's report: totals, units, how each question went (worst first), before/after, and the members. */
export function ExamReportPage({ examId }: { examId: string }) {
  const { t } = useT();
  const report = useResource(() => examReport(examId), [examId]);
  const title = report.data?.title ?? t('examAdmin.report.fallbackTitle');
  return (
    <>
      <Breadcrumb
        trail={[
          { href: adminPaths.reports, label: t('reports.title') },
          { href: examAdminPaths.reports, label: t('examAdmin.reports.title') },
        ]}
        current={title}
      />
      <Page title={title}>
        <Alert message={report.error && t(report.error)} />
        {report.loading && !report.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {report.data && <ReportBody report={report.data} />}
        {report.data && <ExamMembers examId={examId} report={report.data} onChanged={report.reload} />}
      </Page>
    </>
  );
}

function ReportBody({ report }: { report: ExamReport }) {
  const { t, lang } = useT();
  const totals = report.totals;
  return (
    <>
      <section aria-labelledby="exam-totals">
        <h2 id="exam-totals">{t('examAdmin.report.totals')}</h2>
        <p class="hint">
          {t('examAdmin.report.passLine', { percent: percent(report.passPercent, lang), max: pointsText(report.maxScore, lang) })}
        </p>
        <dl class="stat-grid">
          <Stat label={t('examAdmin.report.audience')} value={count(totals.audience, lang)} />
          <Stat label={t('examAdmin.report.taken')} value={count(totals.taken, lang)} />
          <Stat label={t('examAdmin.report.passed')} value={count(totals.passed, lang)} />
          <Stat label={t('examAdmin.report.failed')} value={count(totals.failed, lang)} />
          <Stat label={t('examAdmin.report.waiting')} value={count(totals.grading, lang)} />
          <Stat label={t('examAdmin.report.notTaken')} value={count(totals.notTaken, lang)} />
          <Stat label={t('examAdmin.report.average')} value={percent(totals.averagePercent, lang)} />
        </dl>
      </section>
      {report.prePost && <PrePost prePost={report.prePost} />}
      {report.units.length > 0 && <UnitTable units={report.units} />}
      <Questions questions={report.questions} />
    </>
  );
}

function PrePost({ prePost }: { prePost: NonNullable<ExamReport['prePost']> }) {
  const { t, lang } = useT();
  const gain = prePost.averageGain;
  return (
    <section aria-labelledby="exam-pre-post">
      <h2 id="exam-pre-post">{t('examAdmin.report.prePost')}</h2>
      <p>{t('examAdmin.report.prePostLead', { pre: prePost.preTitle })}</p>
      <dl class="stat-grid">
        <Stat label={t('examAdmin.report.paired')} value={count(prePost.paired, lang)} />
        <Stat label={t('examAdmin.report.before')} value={percent(prePost.averageBefore, lang)} />
        <Stat label={t('examAdmin.report.after')} value={percent(prePost.averageAfter, lang)} />
        <Stat
          label={t('examAdmin.report.gain')}
          value={
            gain === null
              ? '—'
              : t('examAdmin.report.gainValue', {
                  value: `${gain > 0 ? '+' : ''}${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(gain)}`,
                })
          }
        />
      </dl>
    </section>
  );
}

function UnitTable({ units }: { units: ExamUnitRow[] }) {
  const { t, lang } = useT();
  const label = {
    unit: t('examAdmin.report.colUnit'),
    audience: t('examAdmin.report.audience'),
    taken: t('examAdmin.report.taken'),
    passed: t('examAdmin.report.passed'),
    failed: t('examAdmin.report.failed'),
    waiting: t('examAdmin.report.waiting'),
    notTaken: t('examAdmin.report.notTaken'),
    average: t('examAdmin.report.average'),
  };
  const numeric = ['audience', 'taken', 'passed', 'failed', 'waiting', 'notTaken', 'average'] as const;
  return (
    <section aria-labelledby="exam-units">
      <h2 id="exam-units">{t('examAdmin.report.units')}</h2>
      <div class="table-scroll">
        <table class="report-table exam-unit-table" role="table">
          <caption class="visually-hidden">{t('examAdmin.report.unitsCaption')}</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">
                {label.unit}
              </th>
              {numeric.map((key) => (
                <th key={key} role="columnheader" scope="col" class="numeric">
                  {label[key]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {units.map((row) => (
              <tr key={row.unit.id} role="row">
                <th role="rowheader" scope="row" data-label={label.unit}>
                  {row.unit.name}
                </th>
                <NumericCell label={label.audience}>{count(row.audience, lang)}</NumericCell>
                <NumericCell label={label.taken}>{count(row.taken, lang)}</NumericCell>
                <NumericCell label={label.passed}>{count(row.passed, lang)}</NumericCell>
                <NumericCell label={label.failed}>{count(row.failed, lang)}</NumericCell>
                <NumericCell label={label.waiting}>{count(row.grading, lang)}</NumericCell>
                <NumericCell label={label.notTaken}>{count(row.notTaken, lang)}</NumericCell>
                <NumericCell label={label.average}>{percent(row.averagePercent, lang)}</NumericCell>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const short = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function Questions({ questions }: { questions: ExamQuestionRow[] }) {
  const { t, lang } = useT();
  const sorted = worstFirst(questions);
  const answered = sorted.filter((q) => q.correctShare !== null);
  const share = (value: number | null) => (value === null ? '—' : shareText(value, lang));
  const label = {
    stem: t('examAdmin.report.colStem'),
    kind: t('examAdmin.report.colKind'),
    source: t('examAdmin.report.colSource'),
    answered: t('examAdmin.report.colAnswered'),
    correct: t('examAdmin.report.colCorrect'),
    average: t('examAdmin.report.colAverage'),
  };
  return (
    <section aria-labelledby="exam-questions">
      <h2 id="exam-questions">{t('examAdmin.report.questions')}</h2>
      <p class="hint">{t('examAdmin.report.questionsHint')}</p>
      {answered.length === 0 && <p class="notice">{t('examAdmin.report.noQuestions')}</p>}
      {answered.length > 0 && (
        <BarChart
          title={t('examAdmin.report.questionsChart')}
          summary={t('examAdmin.report.questionsSummary', {
            count: answered.length,
            worst: short(answered[0]!.stem),
            worstValue: share(answered[0]!.correctShare),
            best: short(answered[answered.length - 1]!.stem),
            bestValue: share(answered[answered.length - 1]!.correctShare),
          })}
          bars={answered.map((q, i) => ({
            key: q.questionId,
            label: `${i + 1}. ${short(q.stem, 28)}`,
            value: (q.correctShare ?? 0) * 100,
            valueText: share(q.correctShare),
          }))}
          max={100}
          labelHeading={label.stem}
          valueHeading={label.correct}
        />
      )}
      {sorted.length > 0 && (
        <div class="table-scroll">
          <table class="report-table exam-question-table" role="table">
            <caption class="visually-hidden">{t('examAdmin.report.questionsCaption')}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th role="columnheader" scope="col">
                  {label.stem}
                </th>
                <th role="columnheader" scope="col">
                  {label.kind}
                </th>
                <th role="columnheader" scope="col">
                  {label.source}
                </th>
                <th role="columnheader" scope="col" class="numeric">
                  {label.answered}
                </th>
                <th role="columnheader" scope="col" class="numeric">
                  {label.correct}
                </th>
                <th role="columnheader" scope="col" class="numeric">
                  {label.average}
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {sorted.map((q, i) => (
                <tr key={q.questionId} role="row">
                  <th role="rowheader" scope="row" data-label={label.stem} class="exam-question-table__stem">
                    {`${i + 1}. ${q.stem}`}
                  </th>
                  <td role="cell" data-label={label.kind}>
                    {t(`examAdmin.report.kind.${q.kind}`)}
                  </td>
                  <td role="cell" data-label={label.source}>
                    {[q.courseTitle, q.lectureTitle].filter(Boolean).join(' · ') || q.topic || '—'}
                  </td>
                  <NumericCell label={label.answered}>{count(q.answered, lang)}</NumericCell>
                  <NumericCell label={label.correct}>{share(q.correctShare)}</NumericCell>
                  <NumericCell label={label.average}>{share(q.averageShare)}</NumericCell>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

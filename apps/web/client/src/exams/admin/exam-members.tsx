import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  EXAM_OUTCOMES,
  examExportPath,
  examReportMembers,
  type ExamMemberRow,
  type ExamOutcome,
  type ExamReport,
} from '../../api/exam-admin.js';
import { Alert } from '../../components/alert.js';
import { ExportButtons } from '../../components/export-buttons.js';
import { count } from '../../format/numbers.js';
import { useT } from '../../i18n/use-t.js';
import { NumericCell } from '../../reports/numeric-cell.js';
import { MemberAttempts } from './member-attempts.js';
import { dateTime, failureText, percent, pointsText } from './shared.js';

const PAGE = 20;

interface Rows {
  items: ExamMemberRow[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
}

/** The members of an exam's report, filtered by outcome and read page by page; each opens their attempts. */
export function ExamMembers({ examId, report, onChanged }: { examId: string; report: ExamReport; onChanged(): void }) {
  const { t, lang } = useT();
  const [outcome, setOutcome] = useState<ExamOutcome | ''>('');
  const [draft, setDraft] = useState<ExamOutcome | ''>('');
  const [rows, setRows] = useState<Rows>({ items: [], nextCursor: null, loading: true, error: null });
  const [generation, setGeneration] = useState(0);
  const [chosen, setChosen] = useState<ExamMemberRow['member'] | null>(null);
  const request = useRef(0);

  const load = async (cursor: string | null) => {
    const mine = ++request.current;
    setRows((r) => ({ ...r, loading: true, error: null, ...(cursor ? {} : { items: [] }) }));
    try {
      const page = await examReportMembers(examId, { outcome, limit: PAGE, cursor });
      if (mine !== request.current) return;
      setRows((r) => ({
        items: cursor ? [...r.items, ...page.items] : page.items,
        nextCursor: page.nextCursor ?? null,
        loading: false,
        error: null,
      }));
    } catch (failure) {
      if (mine !== request.current) return;
      setRows((r) => ({ ...r, loading: false, error: failureText(failure, t) }));
    }
  };
  useEffect(() => void load(null), [examId, outcome, generation]);

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setOutcome(draft);
  };
  const prePost = report.prePost !== null;
  const label = {
    name: t('examAdmin.report.colName'),
    login: t('examAdmin.report.colLogin'),
    unit: t('examAdmin.report.colUnit'),
    outcome: t('examAdmin.report.outcome'),
    attempts: t('examAdmin.report.colAttempts'),
    best: t('examAdmin.report.colBest'),
    percent: t('examAdmin.report.colBestPercent'),
    last: t('examAdmin.report.colLast'),
    before: t('examAdmin.report.colBefore'),
    gain: t('examAdmin.report.colGain'),
    actions: t('examAdmin.report.colActions'),
  };

  return (
    <section aria-labelledby="exam-members">
      <h2 id="exam-members">{t('examAdmin.report.members')}</h2>
      <form class="report-filters" role="search" aria-label={t('examAdmin.report.filter')} onSubmit={onSubmit}>
        <div class="field">
          <label for="exam-outcome">{t('examAdmin.report.outcome')}</label>
          <select id="exam-outcome" value={draft} onChange={(e) => setDraft(e.currentTarget.value as ExamOutcome | '')}>
            <option value="">{t('examAdmin.report.allOutcomes')}</option>
            {EXAM_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`examAdmin.report.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="report-filters__actions">
          <button type="submit" class="button button--primary">
            {t('examAdmin.report.filter')}
          </button>
        </div>
      </form>
      <Alert message={rows.error} />
      <p class="status" role="status">
        {rows.loading
          ? t('app.loading')
          : rows.items.length === 0
            ? t('examAdmin.report.noMembers')
            : t('examAdmin.report.shown', { count: rows.items.length })}
      </p>
      {rows.items.length > 0 && (
        <div class="table-scroll">
          <table class="report-table exam-member-table" role="table" aria-busy={rows.loading}>
            <caption class="visually-hidden">{t('examAdmin.report.membersCaption')}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th role="columnheader" scope="col">
                  {label.name}
                </th>
                <th role="columnheader" scope="col">
                  {label.login}
                </th>
                <th role="columnheader" scope="col">
                  {label.unit}
                </th>
                <th role="columnheader" scope="col">
                  {label.outcome}
                </th>
                <th role="columnheader" scope="col" class="numeric">
                  {label.attempts}
                </th>
                <th role="columnheader" scope="col" class="numeric">
                  {label.best}
                </th>
                <th role="columnheader" scope="col" class="numeric">
                  {label.percent}
                </th>
                <th role="columnheader" scope="col">
                  {label.last}
                </th>
                {prePost && (
                  <th role="columnheader" scope="col" class="numeric">
                    {label.before}
                  </th>
                )}
                {prePost && (
                  <th role="columnheader" scope="col" class="numeric">
                    {label.gain}
                  </th>
                )}
                <th role="columnheader" scope="col">
                  {label.actions}
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {rows.items.map((row) => (
                <tr key={row.member.id} role="row" data-login={row.member.login}>
                  <th role="rowheader" scope="row" data-label={label.name}>
                    {row.member.name}
                  </th>
                  <td role="cell" data-label={label.login}>
                    {row.member.login}
                  </td>
                  <td role="cell" data-label={label.unit}>
                    {row.member.unitName}
                  </td>
                  <td role="cell" data-label={label.outcome}>
                    <span class={`badge exam-result exam-result--${row.outcome}`}>{t(`examAdmin.report.outcomes.${row.outcome}`)}</span>
                  </td>
                  <NumericCell label={label.attempts}>{count(row.attempts, lang)}</NumericCell>
                  <NumericCell label={label.best}>
                    {row.bestScore === null
                      ? t('examAdmin.report.never')
                      : t('examAdmin.report.score', { score: pointsText(row.bestScore, lang), max: pointsText(report.maxScore, lang) })}
                  </NumericCell>
                  <NumericCell label={label.percent}>{percent(row.bestPercent, lang)}</NumericCell>
                  <td role="cell" data-label={label.last}>
                    {row.lastSubmittedAt ? dateTime(row.lastSubmittedAt, lang) : t('examAdmin.report.never')}
                  </td>
                  {prePost && <NumericCell label={label.before}>{percent(row.beforePercent, lang)}</NumericCell>}
                  {prePost && (
                    <NumericCell label={label.gain}>
                      {row.gain === null
                        ? '—'
                        : `${row.gain > 0 ? '+' : ''}${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(row.gain)}`}
                    </NumericCell>
                  )}
                  <td role="cell" data-label={label.actions}>
                    <button type="button" class="button" aria-expanded={chosen?.id === row.member.id} onClick={() => setChosen(row.member)}>
                      {t('examAdmin.report.attempts')}
                      <span class="visually-hidden">{t('examAdmin.report.attemptsOf', { name: row.member.name })}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.nextCursor && (
        <p class="actions">
          <button type="button" class="button" aria-disabled={rows.loading} onClick={() => !rows.loading && void load(rows.nextCursor)}>
            {t('examAdmin.report.more')}
          </button>
        </p>
      )}
      <ExportButtons path={examExportPath(examId)} tableName={t('examAdmin.report.exportName')} fileName="exam-results" />
      {chosen && (
        <MemberAttempts
          key={chosen.id}
          examId={examId}
          member={chosen}
          onClose={() => setChosen(null)}
          onChanged={() => {
            setGeneration((g) => g + 1);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

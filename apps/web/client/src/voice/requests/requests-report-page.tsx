import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import {
  answerTimes,
  demandFilters,
  openByWeek,
  requestReportPath,
  type AnswerTimesReport,
  type OpenByWeekReport,
  type ReportFilter,
} from '../../api/program-requests.js';
import { Alert } from '../../components/alert.js';
import { LineChart, type Point } from '../../components/charts.js';
import { ExportButtons } from '../../components/export-buttons.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';

const WEEK_CHOICES = [4, 8, 12, 26, 52] as const;
/** As the files write it: one decimal, or a dash where nothing was answered. */
const daysText = (n: number | null) => (n === null ? '—' : n.toFixed(1));

/** A report's table with the server's headings and the files' cell texts, so the screen and the exports agree. */
function ReportTableView<Row>({
  caption,
  columns,
  rows,
  cell,
}: {
  caption: string;
  columns: Array<{ key: string; label: string }>;
  rows: Row[];
  cell(row: Row, key: string): string;
}) {
  return (
    // Wide tables scroll sideways on a phone: the region can be reached and scrolled with the keyboard.
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table class="plain-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c.key} scope="col" class={i === 0 ? undefined : 'numeric'}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <th key={c.key} scope="row">
                    {cell(row, c.key)}
                  </th>
                ) : (
                  <td key={c.key} class="numeric">
                    {cell(row, c.key)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Open requests by category over time, and how long members wait for an answer, over the reader's subtree. */
export function RequestsReportPage() {
  const { t, lang } = useT();
  const [filter, setFilter] = useState<ReportFilter>({ unitId: '', category: '', weeks: 12 });
  const [draft, setDraft] = useState<ReportFilter>(filter);
  const choices = useResource(() => demandFilters(), []);
  const open = useResource<OpenByWeekReport>(() => openByWeek(filter, lang), [JSON.stringify(filter), lang]);
  const times = useResource<AnswerTimesReport>(() => answerTimes(filter, lang), [JSON.stringify(filter), lang]);

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter(draft);
  };
  const rootDepth = choices.data?.units[0]?.depth ?? 0;
  const unitName = choices.data?.units.find((u) => u.id === filter.unitId)?.name ?? choices.data?.units[0]?.name ?? '';
  const weeks = open.data?.items ?? [];
  const latest = weeks[weeks.length - 1];
  // Month and day fit under the axis of a phone; the table and the files carry the whole date.
  const points: Point[] = weeks.map((w) => ({ key: w.week, label: w.week.slice(5), value: w.total, valueText: String(w.total) }));

  return (
    <Page title={t('programRequests.reportTitle')}>
      <form class="filters" role="search" aria-label={t('programRequests.filters')} onSubmit={onSubmit}>
        <div class="field">
          <label for="report-unit">{t('programRequests.filterUnit')}</label>
          <select id="report-unit" value={draft.unitId} onChange={(e) => setDraft({ ...draft, unitId: e.currentTarget.value })}>
            <option value="">{t('programRequests.allUnits')}</option>
            {(choices.data?.units ?? []).map((u) => (
              <option key={u.id} value={u.id}>{`${'\u3000'.repeat(Math.max(0, u.depth - rootDepth))}${u.name}`}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="report-category">{t('programRequests.filterCategory')}</label>
          <select id="report-category" value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value })}>
            <option value="">{t('programRequests.allCategories')}</option>
            {(choices.data?.memberCategories ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {lang === 'en' ? c.nameEn : c.nameZh}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="report-weeks">{t('programRequests.weeks')}</label>
          <select
            id="report-weeks"
            value={String(draft.weeks)}
            onChange={(e) => setDraft({ ...draft, weeks: Number(e.currentTarget.value) })}
          >
            {WEEK_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {t('programRequests.weeksN', { count: n })}
              </option>
            ))}
          </select>
        </div>
        <p>
          <button type="submit" class="button button--primary">
            {t('programRequests.apply')}
          </button>
        </p>
      </form>

      <Alert message={(open.error && t(open.error)) || (times.error && t(times.error))} />
      {(open.loading || times.loading) && <p class="status">{t('app.loading')}</p>}

      {open.data && (
        <section aria-labelledby="open-heading">
          <h2 id="open-heading">{t('programRequests.openChart')}</h2>
          <LineChart
            title={t('programRequests.openChart')}
            summary={t('programRequests.openSummary', { count: latest?.total ?? 0 })}
            points={points}
            max={2}
            formatTick={(v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))}
            labelHeading={t('programRequests.weekOf')}
            valueHeading={t('programRequests.openCount')}
          />
          <ReportTableView
            caption={t('programRequests.openTable')}
            columns={open.data.columns}
            rows={weeks}
            cell={(row, key) =>
              key === 'week' ? row.week : key === 'total' ? String(row.total) : String(row.byCategory[key.replace(/^category:/, '')] ?? 0)
            }
          />
          <ExportButtons
            path={requestReportPath('open-by-week', filter)}
            tableName={t('programRequests.openTable')}
            fileName={`${t('programRequests.openTable')} - ${unitName}`}
          />
        </section>
      )}

      {times.data && (
        <section aria-labelledby="times-heading">
          <h2 id="times-heading">{t('programRequests.timesHeading')}</h2>
          <ReportTableView
            caption={t('programRequests.timesTable')}
            columns={times.data.columns}
            rows={times.data.items}
            cell={(row, key) =>
              key === 'category'
                ? row.categoryName
                : key === 'answered'
                  ? String(row.answered)
                  : daysText(key === 'medianDays' ? row.medianDays : row.p90Days)
            }
          />
          <ExportButtons
            path={requestReportPath('answer-times', filter)}
            tableName={t('programRequests.timesTable')}
            fileName={`${t('programRequests.timesTable')} - ${unitName}`}
          />
        </section>
      )}
    </Page>
  );
}

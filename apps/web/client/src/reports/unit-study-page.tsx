import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { unitStudy, unitStudyPath, type UnitStudyRow } from '../api/transfers.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { BarChart } from '../components/charts.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Page } from '../components/page.js';
import { count, day, todayIso } from '../format/numbers.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { NumericCell } from './numeric-cell.js';
import { adminPaths } from './paths.js';
import '../organisation/transfers.css';
import { ReportTable } from '../components/report-table.js';

/** Study earned in a period, by the unit each member belonged to on the day they earned it. */
export function UnitStudyPage() {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const today = todayIso();
  const [period, setPeriod] = useState({ from: `${today.slice(0, 4)}-01-01`, to: today });
  const [draft, setDraft] = useState(period);
  const [badPeriod, setBadPeriod] = useState(false);
  const report = useResource(() => unitStudy(period.from, period.to, lang), [period.from, period.to, lang]);

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const bad = !draft.from || !draft.to || draft.to < draft.from;
    setBadPeriod(bad);
    if (!bad) setPeriod(draft);
  };

  const rows = report.data?.items ?? [];
  const top = rows[0];
  const minDepth = top?.depth ?? 0;
  // The chart shows the top unit and the units right below it; the table has them all.
  const charted = rows.filter((row) => row.depth <= minDepth + 1);
  const max = Math.max(0, ...charted.map((row) => row.totalHours));
  const busiest = charted
    .slice(1)
    .reduce<UnitStudyRow | undefined>((best, row) => (!best || row.totalSec > best.totalSec ? row : best), undefined);

  return (
    <>
      <Breadcrumb trail={[{ href: adminPaths.reports, label: t('reports.title') }]} current={t('orgTransfers.reportTitle')} />
      <Page title={t('orgTransfers.reportTitle')}>
        <p class="lead">{t('orgTransfers.reportIntro')}</p>
        <form class="unit-study-period" noValidate onSubmit={submit}>
          <DateField
            id="unit-study-from"
            label={t('orgTransfers.from')}
            value={draft.from}
            invalid={badPeriod}
            onInput={(from) => setDraft({ ...draft, from })}
          />
          <DateField
            id="unit-study-to"
            label={t('orgTransfers.to')}
            value={draft.to}
            invalid={badPeriod}
            onInput={(to) => setDraft({ ...draft, to })}
          />
          <button type="submit" class="button button--primary">
            {t('orgTransfers.show')}
          </button>
        </form>
        <Alert message={badPeriod ? t('orgTransfers.badPeriod') : report.error && t(report.error)} />
        <p class="status" role="status">
          {report.loading ? t('app.loading') : ''}
        </p>

        {top && (
          <section aria-labelledby="unit-study-summary">
            <h2 id="unit-study-summary">{t('orgTransfers.period', { from: day(period.from, lang), to: day(period.to, lang) })}</h2>
            <p class="notice">
              {t('orgTransfers.summary', { unit: top.name, hours: duration(top.totalSec), members: count(top.totalMembers, lang) })}
            </p>
            {top.totalSec === 0 && <p class="hint">{t('orgTransfers.noStudy')}</p>}
          </section>
        )}

        {rows.length > 0 && (
          <section aria-labelledby="unit-study-units">
            <h2 id="unit-study-units">{t('orgTransfers.units')}</h2>
            <p class="hint">{t('orgTransfers.unitsHint')}</p>
            <UnitStudyTable rows={rows} minDepth={minDepth} />
            <ExportButtons path={unitStudyPath(period.from, period.to)} tableName={t('orgTransfers.units')} fileName="study-by-unit" />
            {max > 0 && (
              <BarChart
                title={t('orgTransfers.chart')}
                summary={
                  busiest
                    ? t('orgTransfers.chartSummary', { count: charted.length, top: busiest.name, hours: duration(busiest.totalSec) })
                    : ''
                }
                bars={charted.map((row) => ({
                  key: row.unitId,
                  label: row.name,
                  value: row.totalHours,
                  valueText: duration(row.totalSec),
                  level: row.depth - minDepth,
                }))}
                max={max}
                labelHeading={t('orgTransfers.col.unit')}
                valueHeading={t('orgTransfers.col.totalHours')}
              />
            )}
          </section>
        )}
      </Page>
    </>
  );
}

function UnitStudyTable({ rows, minDepth }: { rows: UnitStudyRow[]; minDepth: number }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const columns = {
    unit: t('orgTransfers.col.unit'),
    ownHours: t('orgTransfers.col.ownHours'),
    ownMembers: t('orgTransfers.col.ownMembers'),
    totalHours: t('orgTransfers.col.totalHours'),
    totalMembers: t('orgTransfers.col.totalMembers'),
  };
  return (
    <ReportTable caption={t('orgTransfers.units')} columns={columns} textColumns={['unit']} tableClass="unit-table unit-study-table">
      {rows.map((row) => {
        const level = row.depth - minDepth;
        return (
          <tr key={row.unitId} role="row" class={`study-unit-row study-unit-row--level-${Math.min(level, 3)}`} data-unit-path={row.path}>
            <th role="rowheader" scope="row" data-label={columns.unit} class="unit-cell">
              <span class="unit-cell__inner" style={{ paddingInlineStart: `${level * 1.25}rem` }}>
                <span class="unit-cell__name">{row.name}</span>
              </span>
            </th>
            <NumericCell label={columns.ownHours}>{duration(row.ownSec)}</NumericCell>
            <NumericCell label={columns.ownMembers}>{count(row.ownMembers, lang)}</NumericCell>
            <NumericCell label={columns.totalHours}>{duration(row.totalSec)}</NumericCell>
            <NumericCell label={columns.totalMembers}>{count(row.totalMembers, lang)}</NumericCell>
          </tr>
        );
      })}
    </ReportTable>
  );
}

interface DateFieldProps {
  id: string;
  label: string;
  value: string;
  invalid: boolean;
  onInput(value: string): void;
}

/** One required day of the period, with its label. */
function DateField({ id, label, value, invalid, onInput }: DateFieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="date" required value={value} aria-invalid={invalid} onInput={(e) => onInput(e.currentTarget.value)} />
    </div>
  );
}

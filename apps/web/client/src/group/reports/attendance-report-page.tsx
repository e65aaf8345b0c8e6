import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/api.js';
import {
  giveAbsenteesMakeup,
  groupMembers,
  groupReportPath,
  groupSessions,
  groupUnits,
  type GroupMakeupResult,
  type GroupReportFilter,
  type GroupReportMemberRow,
  type GroupReportSessionRow,
  type GroupReportUnitRow,
} from '../../api/group-attendance.js';
import { listUnitTree } from '../../api/org-units.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { BarChart } from '../../components/charts.js';
import { ExportButtons } from '../../components/export-buttons.js';
import { Page } from '../../components/page.js';
import { addDays, count, day, shareText, todayIso } from '../../format/numbers.js';
import { useDuration } from '../../format/use-format.js';
import { useResource } from '../../hooks/use-resource.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { NumericCell } from '../../reports/numeric-cell.js';
import { adminPaths } from '../../reports/paths.js';
import '../../organisation/transfers.css';
import './attendance-report.css';
import { ReportTable } from '../../components/report-table.js';

const MEMBERS_SHOWN = 200;
const SESSIONS_SHOWN = 100;

/** Group study attendance by unit and member for a period, absentees and make-up, with exports. */
export function AttendanceReportPage() {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const today = todayIso();
  const [filter, setFilter] = useState<GroupReportFilter>({ from: addDays(today, -29), to: today });
  const [draft, setDraft] = useState<GroupReportFilter>(filter);
  const [badPeriod, setBadPeriod] = useState(false);
  const tree = useResource(listUnitTree, []);
  const deps = [filter.from, filter.to, filter.unitId, lang];
  const units = useResource(() => groupUnits(filter, lang), deps);
  const members = useResource(() => groupMembers(filter, lang, MEMBERS_SHOWN), deps);
  const sessions = useResource(() => groupSessions(filter, lang, SESSIONS_SHOWN), deps);

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const bad = !draft.from || !draft.to || draft.to < draft.from;
    setBadPeriod(bad);
    if (!bad) setFilter({ ...draft });
  };

  const rows = units.data?.items ?? [];
  const top = rows[0];
  const minDepth = top?.depth ?? 0;
  const error = units.error ?? members.error ?? sessions.error;
  const loading = units.loading || members.loading || sessions.loading;
  const treeUnits = tree.data ?? [];
  const treeDepth = Math.min(...treeUnits.map((u) => u.depth));

  return (
    <>
      <Breadcrumb trail={[{ href: adminPaths.reports, label: t('reports.title') }]} current={t('groupAttendance.title')} />
      <Page title={t('groupAttendance.title')}>
        <p class="lead">{t('groupAttendance.intro')}</p>
        <form class="unit-study-period group-report-filter" noValidate onSubmit={submit}>
          <div class="field">
            <label for="group-report-from">{t('groupAttendance.from')}</label>
            <input
              id="group-report-from"
              type="date"
              required
              value={draft.from}
              aria-invalid={badPeriod}
              onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="group-report-to">{t('groupAttendance.to')}</label>
            <input
              id="group-report-to"
              type="date"
              required
              value={draft.to}
              aria-invalid={badPeriod}
              onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="group-report-unit">{t('groupAttendance.unit')}</label>
            <select
              id="group-report-unit"
              value={draft.unitId ?? ''}
              onChange={(e) => setDraft({ ...draft, unitId: e.currentTarget.value || undefined })}
            >
              <option value="">{t('groupAttendance.allUnits')}</option>
              {treeUnits.map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {`${'\u3000'.repeat(Math.max(0, unit.depth - treeDepth))}${unit.name}`}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button--primary">
            {t('groupAttendance.show')}
          </button>
        </form>
        <Alert message={badPeriod ? t('groupAttendance.badPeriod') : error && t(error)} />
        <p class="status" role="status">
          {loading ? t('app.loading') : ''}
        </p>

        {top && (
          <section aria-labelledby="group-report-summary">
            <h2 id="group-report-summary">{t('groupAttendance.period', { from: day(filter.from, lang), to: day(filter.to, lang) })}</h2>
            {top.rosterPlaces > 0 ? (
              <p class="notice">
                {t('groupAttendance.summary', {
                  unit: top.unitName,
                  collective: count(top.collectiveSessions, lang),
                  inPerson: count(top.inPersonSessions, lang),
                  places: count(top.rosterPlaces, lang),
                  attended: count(top.attendances, lang),
                  rate: top.attendanceRate === null ? '—' : shareText(top.attendanceRate),
                  hours: duration(top.creditedSec),
                })}
              </p>
            ) : (
              <p class="notice">{t('groupAttendance.nothingHeld')}</p>
            )}
          </section>
        )}

        {rows.length > 0 && (
          <section aria-labelledby="group-report-units">
            <h2 id="group-report-units">{t('groupAttendance.units')}</h2>
            <p class="hint">{t('groupAttendance.unitsHint')}</p>
            <UnitTable rows={rows} minDepth={minDepth} />
            <ExportButtons
              path={groupReportPath('units', filter)}
              tableName={t('groupAttendance.units')}
              fileName="group-attendance-units"
            />
            <RateChart rows={rows} minDepth={minDepth} />
          </section>
        )}

        {members.data && (
          <section aria-labelledby="group-report-members">
            <h2 id="group-report-members">{t('groupAttendance.members')}</h2>
            <p class="hint">{t('groupAttendance.membersHint')}</p>
            {(members.data.total ?? 0) > members.data.items.length && (
              <p class="hint">
                {t('groupAttendance.membersShown', {
                  shown: count(members.data.items.length, lang),
                  total: count(members.data.total ?? 0, lang),
                })}
              </p>
            )}
            {members.data.items.length > 0 && (
              <>
                <MemberTable rows={members.data.items} />
                <ExportButtons
                  path={groupReportPath('members', filter)}
                  tableName={t('groupAttendance.members')}
                  fileName="group-attendance-members"
                />
              </>
            )}
          </section>
        )}

        {sessions.data && (
          <section aria-labelledby="group-report-sessions">
            <h2 id="group-report-sessions">{t('groupAttendance.sessions')}</h2>
            <p class="hint">{t('groupAttendance.sessionsHint')}</p>
            {sessions.data.items.length === 0 && <p class="notice">{t('groupAttendance.noSessions')}</p>}
            {(sessions.data.total ?? 0) > sessions.data.items.length && (
              <p class="hint">
                {t('groupAttendance.sessionsShown', {
                  shown: count(sessions.data.items.length, lang),
                  total: count(sessions.data.total ?? 0, lang),
                })}
              </p>
            )}
            {sessions.data.items.length > 0 && (
              <>
                <ul class="group-session-list">
                  {sessions.data.items.map((session) => (
                    <li key={session.sessionId}>
                      <SessionItem session={session} onGiven={sessions.reload} />
                    </li>
                  ))}
                </ul>
                <ExportButtons
                  path={groupReportPath('sessions', filter)}
                  tableName={t('groupAttendance.sessions')}
                  fileName="group-attendance-sessions"
                />
              </>
            )}
          </section>
        )}
      </Page>
    </>
  );
}

const rateText = (rate: number | null) => (rate === null ? '—' : shareText(rate));

function UnitTable({ rows, minDepth }: { rows: GroupReportUnitRow[]; minDepth: number }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const columns = {
    unit: t('groupAttendance.col.unit'),
    collective: t('groupAttendance.col.collective'),
    inPerson: t('groupAttendance.col.inPerson'),
    attendances: t('groupAttendance.col.attendances'),
    places: t('groupAttendance.col.places'),
    rate: t('groupAttendance.col.rate'),
    hours: t('groupAttendance.col.hours'),
  };
  return (
    <ReportTable
      caption={t('groupAttendance.units')}
      columns={columns}
      textColumns={['unit']}
      tableClass="unit-table group-unit-table"
      scrollLabel={t('groupAttendance.scrollTable', { table: t('groupAttendance.units') })}
    >
      {rows.map((row) => {
        const level = row.depth - minDepth;
        return (
          <tr
            key={row.unitId}
            role="row"
            class={`group-unit-row study-unit-row--level-${Math.min(level, 3)}`}
            data-unit-path={row.unitPath}
          >
            <th role="rowheader" scope="row" data-label={columns.unit} class="unit-cell">
              <span class="unit-cell__inner" style={{ paddingInlineStart: `${level * 1.25}rem` }}>
                <span class="unit-cell__name">{row.unitName}</span>
              </span>
            </th>
            <NumericCell label={columns.collective}>{count(row.collectiveSessions, lang)}</NumericCell>
            <NumericCell label={columns.inPerson}>{count(row.inPersonSessions, lang)}</NumericCell>
            <NumericCell label={columns.attendances}>{count(row.attendances, lang)}</NumericCell>
            <NumericCell label={columns.places}>{count(row.rosterPlaces, lang)}</NumericCell>
            <NumericCell label={columns.rate}>{rateText(row.attendanceRate)}</NumericCell>
            <NumericCell label={columns.hours}>{duration(row.creditedSec)}</NumericCell>
          </tr>
        );
      })}
    </ReportTable>
  );
}

/** The top unit and the units right below it, by attendance rate; units where nothing was held are left out. */
function RateChart({ rows, minDepth }: { rows: GroupReportUnitRow[]; minDepth: number }) {
  const { t } = useT();
  const charted = rows.filter((row) => row.depth <= minDepth + 1 && row.attendanceRate !== null);
  if (!charted.length) return null;
  const best = charted.reduce((a, b) => ((b.attendanceRate ?? 0) > (a.attendanceRate ?? 0) ? b : a));
  return (
    <BarChart
      title={t('groupAttendance.chart')}
      summary={t('groupAttendance.chartSummary', { count: charted.length, top: best.unitName, rate: rateText(best.attendanceRate) })}
      bars={charted.map((row) => ({
        key: row.unitId,
        label: row.unitName,
        value: Math.round((row.attendanceRate ?? 0) * 1000) / 10,
        valueText: rateText(row.attendanceRate),
        level: row.depth - minDepth,
      }))}
      max={100}
      labelHeading={t('groupAttendance.col.unit')}
      valueHeading={t('groupAttendance.col.rate')}
    />
  );
}

function MemberTable({ rows }: { rows: GroupReportMemberRow[] }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const columns = {
    name: t('groupAttendance.col.name'),
    unit: t('groupAttendance.col.unit'),
    held: t('groupAttendance.col.held'),
    attended: t('groupAttendance.col.attended'),
    absent: t('groupAttendance.col.absent'),
    late: t('groupAttendance.col.late'),
    afterwards: t('groupAttendance.col.afterwards'),
    rate: t('groupAttendance.col.rate'),
    hours: t('groupAttendance.col.hours'),
  };
  return (
    <ReportTable
      caption={t('groupAttendance.members')}
      columns={columns}
      textColumns={['name', 'unit']}
      tableClass="group-member-table"
      scrollLabel={t('groupAttendance.scrollTable', { table: t('groupAttendance.members') })}
    >
      {rows.map((row) => (
        <tr key={row.userId} role="row" data-login={row.login}>
          <th role="rowheader" scope="row" data-label={columns.name}>
            {row.name} <span class="group-login">{row.login}</span>
          </th>
          <td role="cell" data-label={columns.unit}>
            {row.unitName}
          </td>
          <NumericCell label={columns.held}>{count(row.sessionsHeld, lang)}</NumericCell>
          <NumericCell label={columns.attended}>{count(row.attended, lang)}</NumericCell>
          <NumericCell label={columns.absent}>{count(row.absent, lang)}</NumericCell>
          <NumericCell label={columns.late}>{count(row.late, lang)}</NumericCell>
          <NumericCell label={columns.afterwards}>{count(row.recordedAfterwards, lang)}</NumericCell>
          <NumericCell label={columns.rate}>{rateText(row.attendanceRate)}</NumericCell>
          <NumericCell label={columns.hours}>{duration(row.creditedSec)}</NumericCell>
        </tr>
      ))}
    </ReportTable>
  );
}

type MakeupState =
  | { step: 'idle' }
  | { step: 'busy' }
  | { step: 'done'; result: GroupMakeupResult }
  | { step: 'noWindow' }
  | { step: 'failed'; message: string };

function SessionItem({ session, onGiven }: { session: GroupReportSessionRow; onGiven: () => void }) {
  const { t, lang } = useT();
  const [state, setState] = useState<MakeupState>({ step: 'idle' });
  const headingId = `group-session-${session.sessionId}`;
  const hidden = session.absent - session.absentees.length;

  const give = async (withoutWindow: boolean) => {
    if (state.step === 'busy') return;
    setState({ step: 'busy' });
    try {
      const result = await giveAbsenteesMakeup(session.sessionId, withoutWindow ? { withoutWindow: true } : {});
      setState({ step: 'done', result });
      onGiven();
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'no_makeup_window') setState({ step: 'noWindow' });
      else
        setState({
          step: 'failed',
          message: failure instanceof ApiError && failure.status === 409 ? failure.message : t(errorKey(failure)),
        });
    }
  };

  return (
    <article class="group-session" aria-labelledby={headingId} data-session-id={session.sessionId}>
      <h3 id={headingId} class="group-session__title">
        {session.title}
      </h3>
      <p class="group-session__facts">
        <span class="badge">{t(`groupAttendance.kind.${session.kind}`)}</span>
        <span>{day(session.day, lang)}</span>
        {session.recordedAfterwards && <span class="badge">{t('groupAttendance.afterwards')}</span>}
      </p>
      <p class="group-session__figures">
        {t('groupAttendance.sessionFacts', {
          unit: session.unitName,
          attended: count(session.attendances, lang),
          places: count(session.rosterPlaces, lang),
          rate: rateText(session.attendanceRate),
        })}
        {session.late > 0 && <span> · {t('groupAttendance.late', { count: session.late })}</span>}
        {session.makeupGiven > 0 && <span> · {t('groupAttendance.makeupCount', { count: session.makeupGiven })}</span>}
      </p>
      {session.absent === 0 ? (
        <p class="hint">{t('groupAttendance.noAbsentees')}</p>
      ) : (
        <details class="group-session__absentees" open={session.absent <= 12}>
          <summary>{t('groupAttendance.absentees', { count: session.absent })}</summary>
          <ul class="group-absentee-list">
            {session.absentees.map((a) => (
              <li key={a.userId}>
                <span class="group-absentee__name">
                  {a.name} <span class="group-login">{a.login}</span>
                </span>{' '}
                <span class="group-absentee__unit">{a.unitName}</span>
                {a.makeupGiven && <span class="badge badge--done">{t('groupAttendance.makeupBadge')}</span>}
              </li>
            ))}
          </ul>
          {hidden > 0 && <p class="hint">{t('groupAttendance.moreAbsentees', { count: hidden })}</p>}
        </details>
      )}
      {session.canGiveMakeup && session.absent > 0 && (
        <div class="group-session__makeup">
          <button type="button" class="button button--primary" aria-disabled={state.step === 'busy'} onClick={() => void give(false)}>
            <span>{state.step === 'busy' ? t('groupAttendance.giving') : t('groupAttendance.giveMakeup')}</span>
            {/* The visible words stay the start of the spoken name; which session is said after them. */}
            <span class="visually-hidden">{t('groupAttendance.giveMakeupOf', { title: session.title })}</span>
          </button>
          <div role="status" class="group-session__result">
            {state.step === 'done' && <MakeupMessage result={state.result} />}
          </div>
          <Alert message={state.step === 'failed' ? state.message : null} />
          {state.step === 'noWindow' && (
            <div class="notice group-session__no-window">
              <p>{t('groupAttendance.noWindow')}</p>
              <button type="button" class="button" onClick={() => void give(true)}>
                {t('groupAttendance.giveWithoutWindow')}
              </button>
            </div>
          )}
        </div>
      )}
    </article>
  );
}

function MakeupMessage({ result }: { result: GroupMakeupResult }) {
  const { t, lang } = useT();
  if (result.granted === 0) return <p>{t('groupAttendance.makeupNothing')}</p>;
  const plans = result.plans
    .map((plan) => t('groupAttendance.makeupPlan', { name: plan.name, until: day(plan.makeupUntil, lang) }))
    .join(lang === 'en' ? '; ' : '；');
  return (
    <>
      <p>
        {result.alreadyGranted > 0
          ? t('groupAttendance.makeupDone', { granted: result.granted, already: result.alreadyGranted })
          : t('groupAttendance.makeupDoneFirst', { granted: result.granted })}
      </p>
      {plans && <p>{t('groupAttendance.makeupPlans', { plans })}</p>}
      {result.withoutWindow > 0 && <p>{t('groupAttendance.makeupWithoutWindow', { count: result.withoutWindow })}</p>}
    </>
  );
}

import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listMemberCategories } from '../api/endpoints.js';
import {
  MEMBER_REPORT_PAGE_SIZE,
  MEMBER_SORTS,
  planMembers,
  reportPaths,
  type MemberFilter,
  type MemberSort,
  type MemberStanding,
} from '../api/reports.js';
import { getPlan, listOrgUnits, PLAN_STATUSES, type PlanStatus } from '../api/study.js';
import type { MemberCategory, OrgUnitNode } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { ExportButtons } from '../components/export-buttons.js';
import { Page } from '../components/page.js';
import { PlanStatusBadge } from '../components/plan-status.js';
import { count, day } from '../format/numbers.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import type { Language } from '../i18n/index.js';
import { Link } from '../router/link.js';
import { adminPaths } from './paths.js';

function filterFromUrl(): MemberFilter {
  const params = new URLSearchParams(location.search);
  const sort = params.get('sort') as MemberSort | null;
  const status = params.get('status') as PlanStatus | null;
  return {
    unitId: params.get('unitId') ?? '',
    category: params.get('category') ?? '',
    status: status && PLAN_STATUSES.includes(status) ? status : '',
    q: params.get('q') ?? '',
    sort: sort && MEMBER_SORTS.includes(sort) ? sort : 'unitPath',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

export function categoryLabel(code: string | null, categories: MemberCategory[], lang: Language, none: string): string {
  if (!code) return none;
  const category = categories.find((c) => c.code === code);
  return category ? (lang === 'en' ? category.nameEn : category.nameZh) : code;
}

/** Drill-down: the members of one unit of a plan, filtered, searched and sorted; the filters live in the address. */
export function PlanMembersPage({ planId }: { planId: string }) {
  const { t, lang } = useT();
  const [filter, setFilter] = useState<MemberFilter>(filterFromUrl);
  const [draft, setDraft] = useState<MemberFilter>(filter);
  // The server pages the members; a new filter starts again at the first page.
  const [page, setPage] = useState(1);
  const plan = useResource(() => getPlan(planId), [planId]);
  const units = useResource<OrgUnitNode[]>(() => listOrgUnits(), []);
  const categories = useResource<MemberCategory[]>(() => listMemberCategories(), []);
  const members = useResource(() => planMembers(planId, filter, lang, page), [planId, JSON.stringify(filter), page]);

  useEffect(() => {
    const query = new URL(adminPaths.members(planId, filter), location.origin).search;
    history.replaceState(history.state, '', `${location.pathname}${query}`);
  }, [JSON.stringify(filter)]);

  const unit = units.data?.find((u) => u.id === filter.unitId);
  const unitName = (id: string, path: string) => units.data?.find((u) => u.id === id)?.name ?? path;
  const planName = plan.data?.name ?? t('reports.planFallback');
  const title = unit ? t('reports.membersTitle', { unit: unit.name }) : t('reports.membersTitleAll');
  const items = members.data?.items ?? [];
  const total = members.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / MEMBER_REPORT_PAGE_SIZE));
  const closed = Boolean(plan.data?.closedAt);

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter({ ...draft, q: draft.q.trim() });
    setPage(1);
  };
  const reset = () => {
    const cleared: MemberFilter = { unitId: filter.unitId, category: '', status: '', q: '', sort: 'unitPath', order: 'asc' };
    setDraft(cleared);
    setFilter(cleared);
    setPage(1);
  };

  // Counted by the server over every page, not just the one on screen.
  const byStatus: Record<PlanStatus, number> = members.data?.counts ?? { met: 0, on_track: 0, behind: 0, not_started: 0 };

  return (
    <>
      <Breadcrumb
        trail={[
          { href: adminPaths.reports, label: t('reports.title') },
          { href: adminPaths.plan(planId), label: planName },
        ]}
        current={title}
      />
      <Page title={title}>
        <p class="lead">{t('reports.membersOfPlan', { plan: planName })}</p>
        <form class="report-filters" role="search" aria-label={t('reports.filters')} onSubmit={onSubmit}>
          <div class="field">
            <label for="filter-unit">{t('reports.filterUnit')}</label>
            <select id="filter-unit" value={draft.unitId} onChange={(e) => setDraft({ ...draft, unitId: e.currentTarget.value })}>
              <option value="">{t('reports.allUnits')}</option>
              {(units.data ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {`${'\u3000'.repeat(Math.max(0, u.depth - (units.data?.[0]?.depth ?? 0)))}${u.name}`}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-category">{t('reports.filterCategory')}</label>
            <select id="filter-category" value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value })}>
              <option value="">{t('reports.allCategories')}</option>
              {(categories.data ?? []).map((c) => (
                <option key={c.code} value={c.code}>
                  {lang === 'en' ? c.nameEn : c.nameZh}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-status">{t('reports.filterStatus')}</label>
            <select
              id="filter-status"
              value={draft.status}
              onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value as PlanStatus | '' })}
            >
              <option value="">{t('reports.allStatuses')}</option>
              {PLAN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`planStatus.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-sort">{t('reports.sortBy')}</label>
            <select id="filter-sort" value={draft.sort} onChange={(e) => setDraft({ ...draft, sort: e.currentTarget.value as MemberSort })}>
              {MEMBER_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`reports.sort.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-order">{t('reports.order')}</label>
            <select
              id="filter-order"
              value={draft.order}
              onChange={(e) => setDraft({ ...draft, order: e.currentTarget.value === 'desc' ? 'desc' : 'asc' })}
            >
              <option value="asc">{t('reports.orderAsc')}</option>
              <option value="desc">{t('reports.orderDesc')}</option>
            </select>
          </div>
          <div class="field report-filters__search">
            <label for="filter-q">{t('reports.search')}</label>
            <input
              id="filter-q"
              type="search"
              autocomplete="off"
              value={draft.q}
              onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
            />
          </div>
          <div class="report-filters__actions">
            <button type="submit" class="button button--primary">
              {t('reports.apply')}
            </button>
            <button type="button" class="button" onClick={reset}>
              {t('reports.clearFilters')}
            </button>
          </div>
        </form>

        <Alert message={members.error && t(members.error)} />
        <p class="status" role="status">
          {members.loading
            ? t('app.loading')
            : members.data &&
              (total === 0
                ? t('reports.noMatches')
                : t('reports.membersCount', {
                    count: total,
                    met: count(byStatus.met, lang),
                    onTrack: count(byStatus.on_track, lang),
                    behind: count(byStatus.behind, lang),
                    notStarted: count(byStatus.not_started, lang),
                  }))}
        </p>

        {items.length > 0 && (
          <MemberTable
            planId={planId}
            exams={plan.data?.exams ?? []}
            requiredReflections={(plan.data as { requiredReflections?: number } | null | undefined)?.requiredReflections ?? 0}
            items={items}
            sort={filter.sort}
            order={filter.order}
            closed={closed}
            busy={members.loading}
            categories={categories.data ?? []}
            unitName={unitName}
          />
        )}
        {total > MEMBER_REPORT_PAGE_SIZE && (
          <nav class="pager" aria-label={t('reports.pager')}>
            <button type="button" class="button" disabled={members.loading || page <= 1} onClick={() => setPage(page - 1)}>
              {t('reports.previousPage')}
            </button>
            <span class="pager__page">{t('reports.pageOf', { page: count(page, lang), pages: count(pages, lang) })}</span>
            <button type="button" class="button" disabled={members.loading || page >= pages} onClick={() => setPage(page + 1)}>
              {t('reports.nextPage')}
            </button>
          </nav>
        )}
        <ExportButtons path={reportPaths.members(planId, filter)} tableName={title} fileName="plan-members" />
      </Page>
    </>
  );
}

interface MemberTableProps {
  planId: string;
  /** The exams the plan requires: each adds its outcome and score, as the exports do. */
  exams: Array<{ id: string; title: string }>;
  /** Accepted reflections the plan requires: above 0, each member's count of them, as the exports show. */
  requiredReflections: number;
  items: Array<MemberStanding & { reflectionsAccepted?: number }>;
  sort: MemberSort;
  order: 'asc' | 'desc';
  closed: boolean;
  busy: boolean;
  categories: MemberCategory[];
  unitName(unitId: string, path: string): string;
}

function MemberTable({ planId, exams, requiredReflections, items, sort, order, closed, busy, categories, unitName }: MemberTableProps) {
  const { t, lang } = useT();
  const { duration, hours } = useDuration();
  const columns: Array<{ key: string; label: string; sort?: MemberSort; numeric?: boolean }> = [
    { key: 'name', label: t('reports.col.name'), sort: 'name' },
    { key: 'login', label: t('reports.col.login') },
    { key: 'unit', label: t('reports.col.unit'), sort: 'unitPath' },
    { key: 'category', label: t('reports.col.category') },
    { key: 'earned', label: t('reports.col.earnedHours'), sort: 'earnedHours', numeric: true },
    { key: 'required', label: t('reports.col.requiredHours'), numeric: true },
    { key: 'remaining', label: t('reports.col.remainingHours'), sort: 'remainingHours', numeric: true },
    { key: 'compulsory', label: t('reports.col.compulsoryMissing'), numeric: true },
    { key: 'last', label: t('reports.col.lastStudyDay'), sort: 'lastStudyDay' },
    ...exams.flatMap((exam) => [
      { key: `outcome-${exam.id}`, label: t('reports.col.examOutcome', { title: exam.title }) },
      { key: `score-${exam.id}`, label: t('reports.col.examScore', { title: exam.title }), numeric: true },
    ]),
    ...(requiredReflections > 0
      ? [{ key: 'reflections', label: t('reports.col.reflectionsAccepted', { required: requiredReflections }), numeric: true }]
      : []),
    { key: 'status', label: t('reports.col.status') },
    ...(closed ? [{ key: 'makeup', label: t('reports.col.makeupHours'), numeric: true }] : []),
  ];
  const label = Object.fromEntries(columns.map((c) => [c.key, c.label]));
  return (
    <div class="table-scroll">
      <table class="report-table member-report" role="table" aria-busy={busy}>
        <caption class="visually-hidden">{t('reports.membersCaption')}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((c) => (
              <th
                key={c.key}
                role="columnheader"
                scope="col"
                class={c.numeric ? 'numeric' : undefined}
                aria-sort={c.sort && c.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {items.map((m) => (
            <tr key={m.userId} role="row" data-login={m.login}>
              <th role="rowheader" scope="row" data-label={label.name} class="members__name">
                <Link href={adminPaths.member(m.userId, planId)}>{m.name}</Link>
              </th>
              <td role="cell" data-label={label.login}>
                {m.login}
              </td>
              <td role="cell" data-label={label.unit} class="members__path">
                {unitName(m.unitId, m.unitPath)}
              </td>
              <td role="cell" data-label={label.category}>
                {categoryLabel(m.category, categories, lang, t('organisation.noCategory'))}
              </td>
              <td role="cell" data-label={label.earned} class="numeric">
                {duration(m.earnedSec)}
              </td>
              <td role="cell" data-label={label.required} class="numeric">
                {hours(m.requiredHours)}
              </td>
              <td role="cell" data-label={label.remaining} class="numeric">
                {duration(m.remainingSec)}
              </td>
              <td role="cell" data-label={label.compulsory} class="numeric">
                {count(m.compulsoryMissing, lang)}
              </td>
              <td role="cell" data-label={label.last}>
                {m.lastStudyDay ? day(m.lastStudyDay, lang, 'medium') : t('reports.never')}
              </td>
              {exams.map((exam) => {
                const result = m.exams?.find((e) => e.examId === exam.id);
                return [
                  <td key={`outcome-${exam.id}`} role="cell" data-label={label[`outcome-${exam.id}`]}>
                    {t(`examAdmin.report.outcomes.${result?.outcome ?? 'not_taken'}`)}
                  </td>,
                  <td key={`score-${exam.id}`} role="cell" data-label={label[`score-${exam.id}`]} class="numeric">
                    {result?.score ?? '—'}
                  </td>,
                ];
              })}
              {requiredReflections > 0 && (
                <td role="cell" data-label={label.reflections} class="numeric">
                  {count(m.reflectionsAccepted ?? 0, lang)}
                </td>
              )}
              <td role="cell" data-label={label.status}>
                <PlanStatusBadge status={m.status} />
              </td>
              {closed && (
                <td role="cell" data-label={label.makeup} class="numeric">
                  {duration(m.makeupSec ?? 0)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

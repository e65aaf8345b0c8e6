import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listClasses } from '../api/classes.js';
import { listMemberCategories } from '../api/endpoints.js';
import {
  emptyMemberQuery,
  listMembers,
  MEMBER_PAGE_SIZE,
  MEMBER_SORTS,
  memberQueryFromSearch,
  memberQuerySearch,
  type MemberListQuery,
  type MemberSort,
  type MemberStatus,
} from '../api/members.js';
import { listPositionKinds } from '../api/positions.js';
import { listOrgUnits } from '../api/study.js';
import type { MemberCategory, OrgUnitNode } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { count } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { navigate } from '../router/router.js';
import { NamedSelect } from './fields.js';
import { MemberTable } from './members-table.js';
import { NewMemberForm } from './members-new.js';
import { OrgNav } from './org-nav.js';
import './members.css';

/** The people of the admin's subtree: filtered, searched, sorted and paged; the filters live in the address. */
export function MembersPage() {
  const { t, lang } = useT();
  const [query, setQuery] = useState<MemberListQuery>(() => memberQueryFromSearch(location.search));
  const [search, setSearch] = useState(query.q);
  const [creating, setCreating] = useState(false);
  const units = useResource<OrgUnitNode[]>(() => listOrgUnits(), []);
  const categories = useResource<MemberCategory[]>(() => listMemberCategories(), []);
  const positions = useResource(() => listPositionKinds(), []);
  const classes = useResource(() => listClasses(false), []);
  const members = useResource(() => listMembers(query), [JSON.stringify(query)]);

  useEffect(() => {
    history.replaceState(history.state, '', `${location.pathname}${memberQuerySearch(query)}`);
  }, [JSON.stringify(query)]);

  /** Any change of filter or sort starts again at the first page. */
  const change = (changes: Partial<MemberListQuery>) => setQuery({ ...query, offset: 0, ...changes });
  const onSearch = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    change({ q: search.trim() });
  };
  const clear = () => {
    setSearch('');
    setQuery(emptyMemberQuery);
  };
  const sortBy = (sort: MemberSort) => change({ sort, order: query.sort === sort && query.order === 'asc' ? 'desc' : 'asc' });

  const items = members.data?.items ?? [];
  const total = members.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / MEMBER_PAGE_SIZE));
  const pageNumber = Math.floor(query.offset / MEMBER_PAGE_SIZE) + 1;
  const topDepth = units.data?.[0]?.depth ?? 0;
  const sortLabels: Record<MemberSort, string> = {
    name: t('orgMembers.col.name'),
    login: t('orgMembers.col.login'),
    unit: t('orgMembers.col.unit'),
    category: t('orgMembers.col.category'),
    createdAt: t('orgMembers.col.createdAt'),
  };

  return (
    <Page title={t('orgMembers.title')}>
      <OrgNav />
      <div class="member-toolbar">
        <p class="status" role="status">
          {members.loading
            ? t('app.loading')
            : members.data &&
              (total === 0
                ? t('orgMembers.empty')
                : t('orgMembers.total', {
                    total: count(total, lang),
                    from: count(query.offset + 1, lang),
                    to: count(query.offset + items.length, lang),
                  }))}
        </p>
        {!creating && (
          <button type="button" class="button button--primary" onClick={() => setCreating(true)}>
            {t('orgMembers.newMember')}
          </button>
        )}
      </div>

      {creating && (
        <NewMemberForm
          units={units.data ?? []}
          categories={categories.data ?? []}
          defaultUnitId={query.unitId}
          onCancel={() => setCreating(false)}
          onCreated={(member) => navigate(`/organisation/members/${encodeURIComponent(member.id)}`)}
        />
      )}

      <form class="report-filters member-filters" role="search" aria-label={t('orgMembers.filters')} onSubmit={onSearch}>
        <div class="field">
          <label for="member-unit">{t('orgMembers.unit')}</label>
          <select id="member-unit" value={query.unitId} onChange={(e) => change({ unitId: e.currentTarget.value })}>
            <option value="">{t('orgMembers.allUnits')}</option>
            {(units.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {`${'\u3000'.repeat(Math.max(0, u.depth - topDepth))}${u.name}`}
              </option>
            ))}
          </select>
        </div>
        <NamedSelect
          id="member-category"
          label={t('orgMembers.category')}
          value={query.category}
          emptyLabel={t('orgMembers.allCategories')}
          options={categories.data ?? []}
          onChange={(category) => change({ category })}
        />
        <NamedSelect
          id="member-position"
          label={t('orgMembers.position')}
          value={query.position}
          emptyLabel={t('orgMembers.allPositions')}
          options={positions.data ?? []}
          onChange={(position) => change({ position })}
        />
        <div class="field">
          <label for="member-class">{t('orgMembers.trainingClass')}</label>
          <select id="member-class" value={query.classId} onChange={(e) => change({ classId: e.currentTarget.value })}>
            <option value="">{t('orgMembers.allClasses')}</option>
            {(classes.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="member-status">{t('orgMembers.status')}</label>
          <select id="member-status" value={query.status} onChange={(e) => change({ status: e.currentTarget.value as MemberStatus })}>
            <option value="">{t('orgMembers.allStatuses')}</option>
            <option value="active">{t('orgMembers.active')}</option>
            <option value="inactive">{t('orgMembers.inactive')}</option>
          </select>
        </div>
        <div class="field member-filters__sort">
          <label for="member-sort">{t('orgMembers.sort')}</label>
          <select id="member-sort" value={query.sort} onChange={(e) => change({ sort: e.currentTarget.value as MemberSort })}>
            {MEMBER_SORTS.map((s) => (
              <option key={s} value={s}>
                {sortLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field member-filters__sort">
          <label for="member-order">{t('orgMembers.order')}</label>
          <select
            id="member-order"
            value={query.order}
            onChange={(e) => change({ order: e.currentTarget.value === 'desc' ? 'desc' : 'asc' })}
          >
            <option value="asc">{t('orgMembers.orderAsc')}</option>
            <option value="desc">{t('orgMembers.orderDesc')}</option>
          </select>
        </div>
        <div class="field report-filters__search">
          <label for="member-q">{t('orgMembers.search')}</label>
          <input
            id="member-q"
            type="search"
            autocomplete="off"
            value={search}
            maxLength={100}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </div>
        <div class="report-filters__actions">
          <button type="submit" class="button button--primary">
            {t('orgMembers.apply')}
          </button>
          <button type="button" class="button" onClick={clear}>
            {t('orgMembers.clear')}
          </button>
        </div>
      </form>

      <Alert message={members.error && t(members.error)} />

      {items.length > 0 && (
        <MemberTable
          items={items}
          sort={query.sort}
          order={query.order}
          busy={members.loading}
          categories={categories.data ?? []}
          positionKinds={positions.data ?? []}
          sortLabels={sortLabels}
          onSort={sortBy}
        />
      )}

      {total > MEMBER_PAGE_SIZE && (
        <nav class="pager" aria-label={t('orgMembers.pager')}>
          <button
            type="button"
            class="button"
            disabled={members.loading || query.offset === 0}
            onClick={() => setQuery({ ...query, offset: Math.max(0, query.offset - MEMBER_PAGE_SIZE) })}
          >
            {t('orgMembers.previous')}
          </button>
          <span class="pager__page">{t('orgMembers.pageOf', { page: count(pageNumber, lang), pages: count(pages, lang) })}</span>
          <button
            type="button"
            class="button"
            disabled={members.loading || query.offset + MEMBER_PAGE_SIZE >= total}
            onClick={() => setQuery({ ...query, offset: query.offset + MEMBER_PAGE_SIZE })}
          >
            {t('orgMembers.next')}
          </button>
        </nav>
      )}
    </Page>
  );
}

import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { PROGRAM_REQUEST_STATUSES } from '#contracts';
import { demandFilters, listDemand, type DemandFilter, type ProgramRequestStatus } from '../../api/program-requests.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { categoryName, date } from '../../format/format.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { RequestStatus } from './request-parts.js';

function filterFromUrl(): DemandFilter {
  const params = new URLSearchParams(location.search);
  const status = params.get('status') ?? '';
  return {
    unitId: params.get('unitId') ?? '',
    category: params.get('category') ?? '',
    status: (PROGRAM_REQUEST_STATUSES as readonly string[]).includes(status) ? (status as ProgramRequestStatus) : '',
  };
}

/** Requests ranked by the votes of members in the caller's subtree; filters live in the address. */
export function DemandPage() {
  const { t, lang } = useT();
  const [filter, setFilter] = useState<DemandFilter>(filterFromUrl);
  const [draft, setDraft] = useState<DemandFilter>(filter);
  const choices = useResource(() => demandFilters(), []);
  const demand = useResource(() => listDemand(filter), [JSON.stringify(filter)]);

  useEffect(() => {
    const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as Array<[string, string]>).toString();
    history.replaceState(history.state, '', params ? `${location.pathname}?${params}` : location.pathname);
  }, [JSON.stringify(filter)]);

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter(draft);
  };
  const rootDepth = choices.data?.units[0]?.depth ?? 0;
  const items = demand.data ?? [];

  return (
    <Page title={t('programRequests.demandTitle')}>
      <form class="filters" role="search" aria-label={t('programRequests.filters')} onSubmit={onSubmit}>
        <div class="field">
          <label for="demand-unit">{t('programRequests.filterUnit')}</label>
          <select id="demand-unit" value={draft.unitId} onChange={(e) => setDraft({ ...draft, unitId: e.currentTarget.value })}>
            <option value="">{t('programRequests.allUnits')}</option>
            {(choices.data?.units ?? []).map((u) => (
              <option key={u.id} value={u.id}>{`${'\u3000'.repeat(Math.max(0, u.depth - rootDepth))}${u.name}`}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="demand-category">{t('programRequests.filterCategory')}</label>
          <select id="demand-category" value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value })}>
            <option value="">{t('programRequests.allCategories')}</option>
            {(choices.data?.memberCategories ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {lang === 'en' ? c.nameEn : c.nameZh}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="demand-status">{t('programRequests.filterStatus')}</label>
          <select
            id="demand-status"
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value as DemandFilter['status'] })}
          >
            <option value="">{t('programRequests.allStatuses')}</option>
            {PROGRAM_REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`programRequests.status.${s}`)}
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

      <Alert message={(demand.error && t(demand.error)) || (choices.error && t(choices.error))} />
      <p class="status" role="status">
        {demand.loading
          ? t('app.loading')
          : items.length === 0
            ? t('programRequests.demandEmpty')
            : t('programRequests.demandCount', { count: items.length })}
      </p>
      {items.length > 0 && (
        <ol class="request-list" aria-label={t('programRequests.demandList')}>
          {items.map((item, i) => (
            <li key={item.id} class="request-card">
              <h2 class="request-card__title">
                <span class="visually-hidden">{t('programRequests.rank', { rank: i + 1 })} </span>
                <Link href={`/voice/requests/${item.id}`}>{item.title}</Link>
              </h2>
              <p class="request-card__meta">
                <strong>{t('programRequests.votes', { count: item.votes })}</strong>
                <RequestStatus status={item.status} />
                {item.category && <span>{categoryName(item.category, lang)}</span>}
              </p>
              <p class="request-card__meta">
                <span>
                  {t('programRequests.requester', {
                    who: item.requester
                      ? t('programRequests.requesterUnit', { name: item.requester.name, unit: item.requester.unitName })
                      : t('programRequests.outsideScope'),
                  })}
                </span>
                <span>{t('programRequests.askedOn', { date: date(item.createdAt, lang) })}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}

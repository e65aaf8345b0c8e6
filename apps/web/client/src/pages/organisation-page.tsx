import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listMemberCategories, listMembers } from '../api/endpoints.js';
import type { Member, MemberCategory, Page as ResultPage } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { MemberTable } from './member-table.js';

const pageSize = 50;

export function OrganisationPage() {
  const { t } = useT();
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState({ q: '', offset: 0 });
  const [result, setResult] = useState<ResultPage<Member> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorKey | null>(null);
  const [categories, setCategories] = useState<MemberCategory[]>([]);

  useEffect(() => {
    // Without the names the table still shows the category codes, so a failure here needs no message.
    listMemberCategories()
      .then(setCategories)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(null);
    listMembers({ limit: pageSize, ...query })
      .then((page) => !stale && setResult(page))
      .catch((failure: unknown) => !stale && setError(errorKey(failure)))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [query]);

  const onSearch = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setQuery({ q: draft.trim(), offset: 0 });
  };

  const shown = result?.items.length ?? 0;
  const total = result?.total ?? 0;

  return (
    <Page title={t('organisation.title')}>
      <form class="search" role="search" onSubmit={onSearch}>
        <label for="member-search">{t('organisation.searchLabel')}</label>
        <div class="search__row">
          <input id="member-search" type="search" autocomplete="off" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit" class="button button--primary">
            {t('organisation.search')}
          </button>
        </div>
      </form>

      <Alert message={error && t(error)} />

      <p class="status" role="status">
        {loading
          ? t('app.loading')
          : result &&
            (shown === 0 ? t('organisation.empty') : t('organisation.total', { total, from: query.offset + 1, to: query.offset + shown }))}
      </p>

      {result && shown > 0 && <MemberTable members={result.items} categories={categories} busy={loading} />}

      {total > pageSize && (
        <nav class="pager" aria-label={t('organisation.pagination')}>
          <button
            type="button"
            class="button"
            disabled={loading || query.offset === 0}
            onClick={() => setQuery({ ...query, offset: Math.max(0, query.offset - pageSize) })}
          >
            {t('organisation.previous')}
          </button>
          <button
            type="button"
            class="button"
            disabled={loading || query.offset + pageSize >= total}
            onClick={() => setQuery({ ...query, offset: query.offset + pageSize })}
          >
            {t('organisation.next')}
          </button>
        </nav>
      )}
    </Page>
  );
}

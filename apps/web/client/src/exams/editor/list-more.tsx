import { useT } from '../../i18n/use-t.js';

/** The foot of a list read a page at a time: "loading" while a page is read, then a button for the next page. */
export function ListMore({ loading, more, label, onMore }: { loading: boolean; more: boolean; label: string; onMore(): void }) {
  const { t } = useT();
  if (loading) {
    return (
      <p class="status" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return more ? (
    <p class="actions">
      <button type="button" class="button" onClick={onMore}>
        {label}
      </button>
    </p>
  ) : null;
}

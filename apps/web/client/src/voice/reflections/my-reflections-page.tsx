import { myReflections } from '../../api/reflections.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { StatusBadge, SubjectLine, when } from './reflection-bits.js';

/** The member's reflections with their status; to a reviewer, the way to the review queue too. */
export function MyReflectionsPage() {
  const { t, lang } = useT();
  const mine = useResource(myReflections, []);
  const items = mine.data?.items ?? [];
  return (
    <Page title={t('reflections.mine.title')}>
      <p class="lead">{t('reflections.mine.intro')}</p>
      <p class="actions">
        <Link href="/reflections/new" class="button button--primary button--big">
          {t('reflections.mine.write')}
        </Link>
        <Link href="/reflections/wall" class="button">
          {t('reflections.mine.wall')}
        </Link>
        {mine.data?.isReviewer && (
          <Link href="/review/reflections" class="button">
            {t('reflections.mine.review')}
          </Link>
        )}
      </p>
      <Alert message={mine.error && t(mine.error)} />
      <p class="status" role="status">
        {mine.loading ? t('app.loading') : ''}
      </p>
      {mine.data && items.length === 0 && <p class="notice">{t('reflections.mine.empty')}</p>}
      {items.length > 0 && (
        <ul class="reflection-list">
          {items.map((item) => (
            <li key={item.id} class="reflection-card">
              <div class="reflection-card__head">
                <Link href={`/reflections/${encodeURIComponent(item.id)}`} class="reflection-card__title">
                  {item.title || t('reflections.untitled')}
                </Link>
                <StatusBadge status={item.status} />
              </div>
              <SubjectLine subject={item.subject} />
              <p class="reflection-card__meta">{t('reflections.mine.updated', { date: when(item.updatedAt, lang) })}</p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

import { reviewQueue } from '../../api/reflections.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { SubjectLine, when } from './reflection-bits.js';

/** Reflections waiting for the caller's review, oldest first; a clear word when the caller reviews nobody. */
export function ReviewQueuePage() {
  const { t, lang } = useT();
  const queue = useResource(reviewQueue, []);
  const data = queue.data;
  return (
    <Page title={t('reflections.queue.title')}>
      <Alert message={queue.error && t(queue.error)} />
      <p class="status" role="status">
        {queue.loading ? t('app.loading') : ''}
      </p>
      {data && !data.isReviewer && <p class="notice">{t('reflections.queue.none')}</p>}
      {data?.isReviewer && (
        <>
          <p class="lead">{t('reflections.queue.intro')}</p>
          <p class="hint">{t('reflections.queue.units', { units: data.units.map((u) => u.name).join('、') })}</p>
          {data.items.length === 0 ? (
            <p class="notice">{t('reflections.queue.empty')}</p>
          ) : (
            <ol class="reflection-list">
              {data.items.map((item) => (
                <li key={item.id} class="reflection-card">
                  <div class="reflection-card__head">
                    <Link href={`/review/reflections/${encodeURIComponent(item.id)}`} class="reflection-card__title">
                      {item.title || t('reflections.untitled')}
                    </Link>
                    {item.resubmitted && <span class="badge">{t('reflections.queue.resubmitted')}</span>}
                  </div>
                  <p class="reflection-card__meta">
                    {t('reflections.queue.author', { name: item.author.name, unit: item.author.unitName })}
                  </p>
                  <SubjectLine subject={item.subject} />
                  <p class="reflection-card__meta">{t('reflections.queue.submittedAt', { date: when(item.submittedAt, lang) })}</p>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </Page>
  );
}

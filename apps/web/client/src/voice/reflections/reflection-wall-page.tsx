import { reflectionWall } from '../../api/reflections.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { SubjectLine, when } from './reflection-bits.js';

/** Excellent reflections shown, with their authors' consent, by the reader's unit and the units above it. */
export function ReflectionWallPage() {
  const { t, lang } = useT();
  const wall = useResource(reflectionWall, []);
  const items = wall.data ?? [];
  return (
    <Page title={t('reflections.wall.title')}>
      <p class="lead">{t('reflections.wall.intro')}</p>
      <Alert message={wall.error && t(wall.error)} />
      <p class="status" role="status">
        {wall.loading ? t('app.loading') : ''}
      </p>
      {wall.data && items.length === 0 && <p class="notice">{t('reflections.wall.empty')}</p>}
      {items.length > 0 && (
        <ul class="wall-list">
          {items.map((item) => (
            <li key={item.id}>
              <article class="wall-card" aria-labelledby={`wall-${item.id}`}>
                <h2 id={`wall-${item.id}`}>{item.title || t('reflections.untitled')}</h2>
                <p class="reflection-card__meta">{t('reflections.wall.by', { name: item.authorName, unit: item.authorUnitName })}</p>
                <SubjectLine subject={item.subject} />
                <p class="reflection-text">{item.body}</p>
                <p class="hint">{t('reflections.wall.on', { unit: item.wallUnitName, date: when(item.publishedAt, lang) })}</p>
              </article>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

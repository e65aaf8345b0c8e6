import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';

export const chaptersEditorHref = (lectureId: string) => `/studio/lectures/${encodeURIComponent(lectureId)}/chapters`;

/** From a studio lecture row to its chapter editor; the lecture's title is said, not shown. */
export function ChaptersLink({ lectureId, title }: { lectureId: string; title: string }) {
  const { t } = useT();
  return (
    <Link href={chaptersEditorHref(lectureId)} class="button">
      {t('chapters.studioLink')}
      <span class="visually-hidden">{t('chapters.studioLinkLabel', { title })}</span>
    </Link>
  );
}

import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';

export const captionsEditorHref = (lectureId: string) => `/studio/lectures/${encodeURIComponent(lectureId)}/captions`;

/** From a studio lecture row to its caption editor; the lecture's title is said, not shown. */
export function CaptionsLink({ lectureId, title }: { lectureId: string; title: string }) {
  const { t } = useT();
  return (
    <Link href={captionsEditorHref(lectureId)} class="button">
      {t('captions.rowLink')}
      <span class="visually-hidden"> {t('captions.rowLinkLabel', { title })}</span>
    </Link>
  );
}

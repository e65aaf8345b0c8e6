import type { CourseStatus } from '../api/types.js';
import { useT } from '../i18n/use-t.js';

export function StatusBadge({ status }: { status: CourseStatus }) {
  const { t } = useT();
  return (
    <span class={`badge badge--status badge--${status}`}>
      <span class="visually-hidden">{t('studio.statusLabel', { status: '' })}</span>
      {t(`studio.status.${status}`)}
    </span>
  );
}

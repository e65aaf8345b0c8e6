import { memberCheckins, type AttentionCheckinView } from '../api/listening.js';
import { Alert } from '../components/alert.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import type { Language } from '../i18n/index.js';
import { useT } from '../i18n/use-t.js';
import { ReportTable } from '../components/report-table.js';
import { NumericCell } from './numeric-cell.js';

/** Outcome badges in the colours the reports already use: done, waiting, not counted. */
const OUTCOME_BADGE: Record<AttentionCheckinView['outcome'], string> = {
  answered: 'badge badge--done',
  late: 'badge badge--draft',
  missed: 'badge badge--compulsory',
  pending: 'badge',
};

/** A day and time of day in the reader's language ("2026/12/4 14:05"). */
function dateTime(iso: string, lang: Language): string {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(value);
}

/**
 * The member report's "Listening check-ins": every "still listening?" the member was asked, how it went,
 * and the listening left uncounted, so an admin can see why hours heard with the screen off did or did not count.
 */
export function MemberCheckins({ userId }: { userId: string }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const columns = {
    askedAt: t('listening.report.col.askedAt'),
    lecture: t('listening.report.col.lecture'),
    outcome: t('listening.report.col.outcome'),
    answeredAt: t('listening.report.col.answeredAt'),
    uncredited: t('listening.report.col.uncredited'),
  };
  const list = useResource(() => memberCheckins(userId), [userId]);
  const items = list.data ?? [];
  const missed = items.filter((c) => c.outcome === 'missed' || c.outcome === 'late').length;
  const uncounted = items.reduce((sum, c) => sum + c.uncreditedSec, 0);
  return (
    <section aria-labelledby="member-checkins" class="member-checkins">
      <h2 id="member-checkins">{t('listening.report.title')}</h2>
      <p class="hint">{t('listening.report.intro')}</p>
      <Alert message={list.error && t(list.error)} />
      {list.loading && !list.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {list.data && items.length === 0 && <p class="notice">{t('listening.report.empty')}</p>}
      {items.length > 0 && (
        <>
          <p>{t('listening.report.summary', { total: items.length, missed, time: duration(uncounted) })}</p>
          <ReportTable
            caption={t('listening.report.title')}
            columns={columns}
            textColumns={['askedAt', 'lecture', 'outcome', 'answeredAt']}
          >
            {items.map((c) => (
              <tr role="row" key={c.id}>
                <th role="rowheader" scope="row" data-label={columns.askedAt}>
                  {dateTime(c.askedAt, lang)}
                </th>
                <td role="cell" data-label={columns.lecture}>
                  {c.lecture.title}
                </td>
                <td role="cell" data-label={columns.outcome}>
                  <span class={OUTCOME_BADGE[c.outcome]}>{t(`listening.report.outcome.${c.outcome}`)}</span>
                </td>
                <td role="cell" data-label={columns.answeredAt}>
                  {c.answeredAt ? dateTime(c.answeredAt, lang) : t('listening.report.notAnswered')}
                </td>
                <NumericCell label={columns.uncredited}>{duration(c.uncreditedSec)}</NumericCell>
              </tr>
            ))}
          </ReportTable>
        </>
      )}
    </section>
  );
}

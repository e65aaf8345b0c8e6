import type { ReflectionStatus, ReflectionSubject, ReflectionVersionView } from '#contracts';
import { useT } from '../../i18n/use-t.js';
import './reflections.css';

/** A date and time in the reader's language. */
export function when(iso: string, lang: string): string {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(value);
}

export function StatusBadge({ status }: { status: ReflectionStatus }) {
  const { t } = useT();
  return <span class={`badge reflection-status reflection-status--${status}`}>{t(`reflections.status.${status}`)}</span>;
}

/** "Lecture: …", "Course: …" or "Study plan: …"; nothing when it is about nothing in particular. */
export function SubjectLine({ subject }: { subject: ReflectionSubject | null }) {
  const { t } = useT();
  if (!subject) return null;
  return <p class="reflection-subject">{t(`reflections.subject.${subject.kind}`, { title: subject.title })}</p>;
}

/** Every submitted version, newest first, with its review and comment. */
export function ReflectionHistory({ history, headingId }: { history: ReflectionVersionView[]; headingId: string }) {
  const { t, lang } = useT();
  return (
    <section class="reflection-history" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('reflections.edit.history')}</h2>
      {history.length === 0 ? (
        <p class="hint">{t('reflections.edit.noHistory')}</p>
      ) : (
        <ol class="reflection-history__list" reversed>
          {[...history].reverse().map((v) => (
            <li key={v.version} class="reflection-history__item">
              <h3>{t('reflections.edit.version', { n: v.version, date: when(v.submittedAt, lang) })}</h3>
              {v.title && <p class="reflection-history__title">{v.title}</p>}
              <p class="reflection-text">{v.body}</p>
              {v.review && (
                <div class={`reflection-review reflection-review--${v.review.verdict}`}>
                  <p class="reflection-review__verdict">
                    {t('reflections.edit.reviewBy', {
                      name: v.review.reviewerName,
                      date: when(v.review.reviewedAt, lang),
                      verdict: t(`reflections.status.${v.review.verdict}`),
                    })}
                  </p>
                  {v.review.comment && <p class="reflection-text">{t('reflections.edit.comment', { comment: v.review.comment })}</p>}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

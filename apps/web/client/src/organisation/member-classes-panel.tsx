import { listMemberClasses } from '../api/classes.js';
import { Alert } from '../components/alert.js';
import { day } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { classPath } from './classes-page.js';
import { dayOf } from './classes-shared.js';
import './classes.css';

/** The training classes a member is or was enrolled in; shown on the member's page. */
export function MemberClassesPanel({ memberId }: { memberId: string }) {
  const { t, lang } = useT();
  const classes = useResource(() => listMemberClasses(memberId), [memberId]);
  return (
    <section class="panel org-classes" aria-labelledby={`classes-${memberId}`}>
      <h2 id={`classes-${memberId}`}>{t('orgClasses.classesHeading')}</h2>
      <Alert message={classes.error && t(classes.error)} />
      {classes.loading && !classes.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {classes.data?.length === 0 && <p>{t('orgClasses.noClasses')}</p>}
      {classes.data && classes.data.length > 0 && (
        <ul class="search-results">
          {classes.data.map((c) => (
            <li key={c.classId}>
              <span class="search-results__who">
                <Link href={classPath(c.classId)}>{c.name}</Link> ·{' '}
                {t('orgClasses.period', { from: day(c.startsOn, lang), to: day(c.endsOn, lang) })}
                {c.archivedAt && (
                  <>
                    {' '}
                    <span class="badge badge--archived">{t('orgClasses.archived')}</span>
                  </>
                )}
              </span>
              <span>
                {c.withdrawnAt
                  ? t('orgClasses.withdrawnOn', { date: dayOf(c.withdrawnAt, lang) })
                  : t('orgClasses.enrolledOn', { date: dayOf(c.enrolledAt, lang) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

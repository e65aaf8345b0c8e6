import type { ProgramRequestStatus, ProgramRequestView } from '../../api/program-requests.js';
import { categoryName, date } from '../../format/format.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import './requests.css';

export function RequestStatus({ status }: { status: ProgramRequestStatus }) {
  const { t } = useT();
  return <span class={`request-status request-status--${status}`}>{t(`programRequests.status.${status}`)}</span>;
}

/** The answer as members read it: the course to study, what is planned, or why not. */
export function RequestAnswer({ request }: { request: ProgramRequestView }) {
  const { t } = useT();
  return (
    <>
      {request.course && (
        <Link href={`/courses/${request.course.id}`} class="request-course">
          {t('programRequests.courseLink', { title: request.course.title })}
        </Link>
      )}
      {request.answerNote && <p class="request-card__answer">{t('programRequests.plannedNote', { note: request.answerNote })}</p>}
      {request.declineReason && <p class="request-card__answer">{t('programRequests.declineReason', { reason: request.declineReason })}</p>}
      {request.mergedInto && (
        <p class="request-card__answer">
          {t('programRequests.merged')} <Link href={`/requests/${request.mergedInto}`}>{t('programRequests.seeMerged')}</Link>
        </p>
      )}
    </>
  );
}

/** One request in a member's list: its title (a link to it), status, votes and answer. */
export function RequestCard({ request, href }: { request: ProgramRequestView; href: string }) {
  const { t, lang } = useT();
  return (
    <li class="request-card">
      <h3 class="request-card__title">
        <Link href={href}>{request.title}</Link>
      </h3>
      <p class="request-card__meta">
        <RequestStatus status={request.status} />
        <span>{t('programRequests.votes', { count: request.votes })}</span>
        {request.category && <span>{categoryName(request.category, lang)}</span>}
        <span>{t('programRequests.askedOn', { date: date(request.createdAt, lang) })}</span>
      </p>
      <RequestAnswer request={request} />
    </li>
  );
}

import { useState } from 'preact/hooks';
import { getRequest, unvote, voteFor, withdrawRequest, type ProgramRequestView } from '../../api/program-requests.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { categoryName, date } from '../../format/format.js';
import { useResource } from '../../hooks/use-resource.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { RequestAnswer, RequestStatus } from './request-parts.js';

/** One request: what was asked, how many want it, and the answer with the course to study. */
export function RequestPage({ requestId }: { requestId: string }) {
  const { t, lang } = useT();
  const request = useResource(() => getRequest(requestId), [requestId]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const act = async (action: (id: string) => Promise<ProgramRequestView>, message: string) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setDone('');
    try {
      request.set(await action(requestId));
      setDone(message);
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };

  const view = request.data;
  const open = view && (view.status === 'open' || view.status === 'planned');
  return (
    <Page title={view?.title ?? t('programRequests.requestTitle')}>
      <p>
        <Link href="/requests">{t('programRequests.back')}</Link>
      </p>
      <Alert message={request.error && t(request.error)} />
      {request.loading && !view && <p class="status">{t('app.loading')}</p>}
      {view && (
        <>
          <p class="request-card__meta">
            <RequestStatus status={view.status} />
            <span>{t('programRequests.votes', { count: view.votes })}</span>
            {view.category && <span>{categoryName(view.category, lang)}</span>}
          </p>
          {view.detail && <p class="request-detail">{view.detail}</p>}
          <p class="status">{t('programRequests.askedOn', { date: date(view.createdAt, lang) })}</p>
          {(view.course || view.answerNote || view.declineReason || view.mergedInto) && (
            <section class="panel" aria-labelledby="answer-heading">
              <h2 id="answer-heading">{t('programRequests.answerHeading')}</h2>
              {view.answeredAt && <p class="status">{t('programRequests.answeredOn', { date: date(view.answeredAt, lang) })}</p>}
              <RequestAnswer request={view} />
            </section>
          )}
          <Alert message={problem} />
          <div class="actions">
            {open && !view.mine && !view.voted && (
              <button
                type="button"
                class="button button--primary button--big"
                onClick={() => void act(voteFor, t('programRequests.voted'))}
              >
                {t('programRequests.meToo')}
              </button>
            )}
            {open && !view.mine && view.voted && (
              <button type="button" class="button" onClick={() => void act(unvote, t('programRequests.unvoted'))}>
                {t('programRequests.unvote')}
              </button>
            )}
            {open && view.mine && (
              <button type="button" class="button button--danger" onClick={() => void act(withdrawRequest, t('programRequests.withdrawn'))}>
                {t('programRequests.withdraw')}
              </button>
            )}
          </div>
          <p class="status" role="status">
            {done}
          </p>
        </>
      )}
    </Page>
  );
}

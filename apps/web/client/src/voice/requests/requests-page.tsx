import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listCourseCategories } from '../../api/catalog.js';
import {
  askForProgram,
  myRequests,
  similarRequests,
  voteFor,
  type ProgramRequestView,
  type SimilarRequest,
} from '../../api/program-requests.js';
import type { CourseCategory } from '../../api/types.js';
import { PROGRAM_REQUEST_LIMITS } from '#contracts';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { categoryName } from '../../format/format.js';
import { useResource } from '../../hooks/use-resource.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { RequestCard, RequestStatus } from './request-parts.js';

/** "What would you like to learn?": similar requests appear while the member types, so they vote instead of asking again. */
export function RequestsPage() {
  const { t, lang } = useT();
  const [title, setTitle] = useState('');
  const [detail, setDetail] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [categories, setCategories] = useState<CourseCategory[]>([]);
  const [similar, setSimilar] = useState<SimilarRequest[]>([]);
  const [searching, setSearching] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const mine = useResource(() => myRequests(), []);

  useEffect(() => {
    listCourseCategories()
      .then(setCategories)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    const typed = title.trim();
    if (!typed) {
      setSimilar([]);
      return;
    }
    let stale = false;
    setSearching(true);
    // Waits for a pause in typing, so a slow line is not asked at every key.
    const timer = setTimeout(() => {
      similarRequests(typed)
        .then((found) => !stale && setSimilar(found))
        .catch(() => undefined)
        .finally(() => !stale && setSearching(false));
    }, 300);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [title]);

  const titleError = title.length > PROGRAM_REQUEST_LIMITS.title ? t('programRequests.titleTooLong') : null;
  const detailError = detail.length > PROGRAM_REQUEST_LIMITS.detail ? t('programRequests.detailTooLong') : null;

  const onSubmit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setDone('');
    if (!title.trim()) return setProblem(t('programRequests.titleRequired'));
    if (titleError || detailError) return setProblem(titleError ?? detailError);
    setBusy(true);
    setProblem(null);
    try {
      await askForProgram({ title: title.trim(), detail: detail.trim(), categoryId: categoryId || null });
      setTitle('');
      setDetail('');
      setCategoryId('');
      setDone(t('programRequests.created'));
      mine.reload();
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };

  const meToo = async (request: SimilarRequest) => {
    setDone('');
    setProblem(null);
    try {
      const view = await voteFor(request.id);
      setSimilar((list) => list.map((r) => (r.id === view.id ? { ...r, voted: true, votes: view.votes } : r)));
      setDone(t('programRequests.voted'));
      mine.reload();
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    }
  };

  const list = (items: ProgramRequestView[] | undefined) =>
    items && items.length > 0 ? (
      <ul class="request-list">
        {items.map((request) => (
          <RequestCard key={request.id} request={request} href={`/requests/${request.id}`} />
        ))}
      </ul>
    ) : (
      <p>{mine.loading ? t('app.loading') : t('programRequests.none')}</p>
    );

  return (
    <Page title={t('programRequests.title')}>
      <section aria-labelledby="ask-heading" class="panel">
        <h2 id="ask-heading">{t('programRequests.askHeading')}</h2>
        <form class="form" onSubmit={(event) => void onSubmit(event)} noValidate>
          <div class="field">
            <label for="request-title">{t('programRequests.titleLabel')}</label>
            <p class="hint" id="request-title-hint">
              {t('programRequests.titleHint')}
            </p>
            <input
              id="request-title"
              type="text"
              autocomplete="off"
              value={title}
              aria-describedby="request-title-hint"
              aria-invalid={titleError ? 'true' : undefined}
              onInput={(e) => setTitle(e.currentTarget.value)}
            />
          </div>

          <div aria-live="polite">
            {searching && similar.length === 0 && <p class="status">{t('programRequests.searching')}</p>}
            {similar.length > 0 && (
              <section class="request-similar" aria-labelledby="similar-heading">
                <h2 id="similar-heading">{t('programRequests.similarHeading')}</h2>
                <p>{t('programRequests.similarHint')}</p>
                <ul class="request-list">
                  {similar.map((request) => (
                    <li key={request.id} class="request-card">
                      <p class="request-card__title">
                        <Link href={`/requests/${request.id}`}>{request.title}</Link>
                      </p>
                      <p class="request-card__meta">
                        <RequestStatus status={request.status} />
                        <span>{t('programRequests.votes', { count: request.votes })}</span>
                      </p>
                      {request.mine ? (
                        <p class="status">{t('programRequests.yours')}</p>
                      ) : request.voted ? (
                        <p class="status">{t('programRequests.alreadyVoted')}</p>
                      ) : request.status === 'open' || request.status === 'planned' ? (
                        <button type="button" class="button button--primary button--big" onClick={() => void meToo(request)}>
                          {t('programRequests.meToo')}
                          <span class="visually-hidden">{t('programRequests.meTooOf', { title: request.title })}</span>
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </div>

          <div class="field">
            <label for="request-detail">{t('programRequests.detailLabel')}</label>
            <p class="hint" id="request-detail-hint">
              {t('programRequests.detailHint')}
            </p>
            <textarea
              id="request-detail"
              rows={3}
              value={detail}
              aria-describedby="request-detail-hint"
              aria-invalid={detailError ? 'true' : undefined}
              onInput={(e) => setDetail(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="request-category">{t('programRequests.categoryLabel')}</label>
            <select id="request-category" value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
              <option value="">{t('programRequests.noCategory')}</option>
              {categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {categoryName(category, lang)}
                </option>
              ))}
            </select>
          </div>
          <Alert message={problem} />
          <p>
            <button type="submit" class="button button--primary button--big" aria-disabled={busy}>
              {busy ? t('programRequests.submitting') : t('programRequests.submit')}
            </button>
          </p>
        </form>
        <p class="status" role="status">
          {done}
        </p>
      </section>

      <Alert message={mine.error && t(mine.error)} />
      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading">{t('programRequests.mine')}</h2>
        {list(mine.data?.requested)}
      </section>
      <section aria-labelledby="votes-heading">
        <h2 id="votes-heading">{t('programRequests.myVotes')}</h2>
        {list(mine.data?.voted)}
      </section>
    </Page>
  );
}

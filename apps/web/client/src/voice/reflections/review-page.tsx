import { useState } from 'preact/hooks';
import { REFLECTION_LIMITS, type ReflectionVerdict, type ReflectionView } from '#contracts';
import { getReflection, publishReflection, reviewReflection, unpublishReflection } from '../../api/reflections.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { ReflectionHistory, StatusBadge, SubjectLine } from './reflection-bits.js';

const VERDICTS: ReflectionVerdict[] = ['read', 'excellent', 'returned'];

/** One reflection for its reviewer: the text, earlier versions and reviews, and the verdict with a comment. */
export function ReviewPage({ reflectionId }: { reflectionId: string }) {
  const { t } = useT();
  const loaded = useResource(() => getReflection(reflectionId), [reflectionId]);
  const [verdict, setVerdict] = useState<ReflectionVerdict | null>(null);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  const view = loaded.data;
  const crumbs = [{ href: '/review/reflections', label: t('reflections.queue.title') }];

  const run = async (work: () => Promise<ReflectionView>, done: string) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    setInfo('');
    try {
      loaded.set(await work());
      setInfo(done);
    } catch (failure) {
      setMessage(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };

  const send = (event: Event) => {
    event.preventDefault();
    if (!view || !verdict) return setMessage(t('reflections.review.verdictLegend'));
    const trimmed = comment.trim();
    if (verdict === 'returned' && !trimmed) return setMessage(t('reflections.review.commentNeeded'));
    if (trimmed.length > REFLECTION_LIMITS.comment) return setMessage(t('reflections.review.commentTooLong'));
    void run(
      () => reviewReflection(view.id, { verdict, comment: trimmed }),
      t('reflections.review.done', { verdict: t(`reflections.status.${verdict}`) }),
    );
  };

  if (!view) {
    return (
      <>
        <Breadcrumb trail={crumbs} current={t('reflections.review.title')} />
        <Page title={loaded.loading ? t('app.loading') : t('reflections.review.title')}>
          <Alert message={loaded.error && t(loaded.error)} />
        </Page>
      </>
    );
  }

  const current = view.history.at(-1);
  const earlier = view.history.slice(0, -1);
  const overComment = comment.trim().length > REFLECTION_LIMITS.comment;
  return (
    <>
      <Breadcrumb trail={crumbs} current={t('reflections.review.title')} />
      <Page title={t('reflections.review.title')}>
        <p class="reflection-card__head">
          <StatusBadge status={view.status} />
        </p>
        <p>{t('reflections.review.by', { name: view.author.name, unit: view.author.unitName })}</p>
        <SubjectLine subject={view.subject} />
        <Alert message={message} />
        <p class="status" role="status">
          {info}
        </p>

        <section class="panel" aria-labelledby="review-text">
          <h2 id="review-text">{(current?.title ?? view.title) || t('reflections.review.text')}</h2>
          <p class="reflection-text">{current?.body ?? view.body}</p>
        </section>

        {view.can.review ? (
          <form class="form" noValidate onSubmit={send}>
            <fieldset class="verdict-choices">
              <legend>{t('reflections.review.verdictLegend')}</legend>
              {VERDICTS.map((v) => (
                <label key={v} class="checkbox">
                  <input type="radio" name="verdict" value={v} checked={verdict === v} onChange={() => setVerdict(v)} />
                  <span>{t(`reflections.verdict.${v}`)}</span>
                </label>
              ))}
            </fieldset>
            <div class="field">
              <label for="review-comment">{t('reflections.review.commentLabel')}</label>
              <textarea
                id="review-comment"
                rows={5}
                value={comment}
                aria-describedby="review-comment-hint"
                aria-invalid={overComment}
                onInput={(e) => setComment(e.currentTarget.value)}
              />
              <p id="review-comment-hint" class={overComment ? 'field__error' : 'hint'}>
                {overComment ? t('reflections.review.commentTooLong') : t('reflections.review.commentHint')}
              </p>
            </div>
            <p class="actions">
              <button type="submit" class="button button--primary button--big" aria-disabled={busy}>
                {t('reflections.review.send')}
              </button>
            </p>
          </form>
        ) : (
          view.status !== 'submitted' && !info && <p class="notice">{t('reflections.review.notPending')}</p>
        )}

        {(view.can.publish || view.can.unpublish || (view.status === 'excellent' && !view.consentAt && !view.can.consent)) && (
          <section class="panel" aria-labelledby="review-wall">
            <h2 id="review-wall">{t('reflections.wall.title')}</h2>
            {view.publishedOn.length > 0 && (
              <p>{t('reflections.edit.publishedOn', { units: view.publishedOn.map((w) => w.unitName).join('、') })}</p>
            )}
            {view.status === 'excellent' && !view.consentAt && <p>{t('reflections.review.noConsent')}</p>}
            <p class="actions">
              {view.can.publish && (
                <button
                  type="button"
                  class="button button--primary"
                  onClick={() => void run(() => publishReflection(view.id), t('reflections.review.published'))}
                >
                  {t('reflections.review.publish')}
                </button>
              )}
              {view.can.unpublish && (
                <button
                  type="button"
                  class="button"
                  onClick={() => void run(() => unpublishReflection(view.id), t('reflections.review.unpublished'))}
                >
                  {t('reflections.review.unpublish')}
                </button>
              )}
            </p>
          </section>
        )}

        {earlier.length > 0 && <ReflectionHistory history={earlier} headingId="review-history" />}
        {earlier.length === 0 && current?.review && <ReflectionHistory history={view.history} headingId="review-history" />}
      </Page>
    </>
  );
}

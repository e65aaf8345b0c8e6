import { useEffect, useRef, useState } from 'preact/hooks';
import { REFLECTION_LIMITS, type ReflectionView } from '#contracts';
import {
  consentReflection,
  createReflection,
  getReflection,
  saveReflection,
  submitReflection,
  withdrawReflection,
} from '../../api/reflections.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { DraftSaver } from './draft-saver.js';
import { ReflectionHistory, StatusBadge, SubjectLine, when } from './reflection-bits.js';

// After this long without typing, the draft is saved.
const AUTOSAVE_MS = 1500;

/** What a new reflection is about, from the address: `?lectureId=`, `?courseId=` or `?planId=`. */
function subjectFromUrl(): { lectureId?: string; courseId?: string; planId?: string } {
  const params = new URLSearchParams(location.search);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const key of ['lectureId', 'courseId', 'planId'] as const) {
    const value = params.get(key);
    if (value && uuid.test(value)) return { [key]: value };
  }
  return {};
}

/** Writing a new reflection (`/reflections/new`) or reading, revising and resending one (`/reflections/:id`). */
export function ReflectionEditPage({ reflectionId }: { reflectionId?: string }) {
  const { t } = useT();
  const loaded = useResource<ReflectionView | null>(
    () => (reflectionId ? getReflection(reflectionId) : Promise.resolve(null)),
    [reflectionId],
  );
  const crumbs = [{ href: '/reflections', label: t('reflections.mine.title') }];
  if (reflectionId && !loaded.data) {
    return (
      <>
        <Breadcrumb trail={crumbs} current={t('reflections.edit.editTitle')} />
        <Page title={loaded.loading ? t('app.loading') : t('reflections.edit.editTitle')}>
          <Alert message={loaded.error && t(loaded.error)} />
          {loaded.error && (
            <p class="actions">
              <Link href="/reflections" class="button">
                {t('reflections.edit.back')}
              </Link>
            </p>
          )}
        </Page>
      </>
    );
  }
  return <Editor initial={loaded.data} />;
}

type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

function Editor({ initial }: { initial: ReflectionView | null }) {
  const { t, lang } = useT();
  const [view, setView] = useState<ReflectionView | null>(initial);
  const [title, setTitle] = useState(initial?.title ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);

  const subject = useRef(subjectFromUrl());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The draft's latest text, its id once it exists, and its saves, one at a time.
  const saver = useRef<DraftSaver<ReflectionView> | null>(null);
  if (!saver.current) {
    saver.current = new DraftSaver<ReflectionView>({ title: initial?.title ?? '', body: initial?.body ?? '' }, initial?.id ?? null, {
      limits: REFLECTION_LIMITS,
      create: (text) => createReflection({ ...text, ...subject.current }),
      save: (id, text) => saveReflection(id, text),
      onState: (state, saved) => {
        setSaveState(state);
        if (!saved) return;
        // The address names the reflection once it exists, without reloading the page under the writer's fingers.
        if (!initial && location.pathname !== `/reflections/${saved.id}`) {
          history.replaceState(history.state, '', `/reflections/${encodeURIComponent(saved.id)}`);
        }
        setView(saved);
        setSavedAt(new Date());
      },
    });
  }
  const drafts = saver.current;

  useEffect(() => () => clearTimeout(timer.current), []);

  const editable = view ? view.can.edit : true;
  const overBody = body.length > REFLECTION_LIMITS.body;
  const overTitle = title.length > REFLECTION_LIMITS.title;

  const persist = (): Promise<void> => {
    clearTimeout(timer.current);
    return drafts.flush();
  };

  const changed = (next: { title?: string; body?: string }) => {
    drafts.change(next);
    if (next.title !== undefined) setTitle(next.title);
    if (next.body !== undefined) setBody(next.body);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void persist(), AUTOSAVE_MS);
  };

  const act = async (work: () => Promise<ReflectionView>, done: string) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    setInfo('');
    try {
      const next = await work();
      setView(next);
      drafts.adopt(next.id, { title: next.title, body: next.body });
      setInfo(done);
    } catch (failure) {
      setMessage(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!drafts.latest.body.trim()) return setMessage(t('reflections.edit.empty'));
    if (overBody) return setMessage(t('reflections.edit.tooLong', { max: REFLECTION_LIMITS.body }));
    if (overTitle) return setMessage(t('reflections.edit.titleTooLong'));
    await act(async () => {
      await persist();
      const snapshot = drafts.latest;
      if (!drafts.id) {
        const created = await createReflection({ ...snapshot, ...subject.current, submit: true });
        history.replaceState(history.state, '', `/reflections/${encodeURIComponent(created.id)}`);
        return created;
      }
      return submitReflection(drafts.id, snapshot);
    }, t('reflections.edit.submitted'));
  };

  const pageTitle = view ? t('reflections.edit.editTitle') : t('reflections.edit.newTitle');
  const lastReview = view?.history.at(-1)?.review ?? null;
  const saveText =
    saveState === 'saving'
      ? t('reflections.edit.saving')
      : saveState === 'saved' && savedAt
        ? t('reflections.edit.saved', { time: savedAt.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) })
        : saveState === 'failed'
          ? t('reflections.edit.saveFailed')
          : '';

  return (
    <>
      <Breadcrumb trail={[{ href: '/reflections', label: t('reflections.mine.title') }]} current={pageTitle} />
      <Page title={pageTitle}>
        {view && (
          <p class="reflection-card__head">
            <StatusBadge status={view.status} />
          </p>
        )}
        {view && <SubjectLine subject={view.subject} />}
        <Alert message={message} />
        <p class="status" role="status">
          {info}
        </p>

        {view?.status === 'returned' && (
          <div class="notice">
            <p>{t('reflections.edit.returnedNotice')}</p>
            {lastReview?.comment && <p class="reflection-text">{t('reflections.edit.comment', { comment: lastReview.comment })}</p>}
          </div>
        )}
        {view?.status === 'submitted' && <p class="notice">{t('reflections.edit.waiting')}</p>}
        {view && (view.status === 'read' || view.status === 'excellent') && (
          <p class="notice">{t('reflections.edit.accepted', { verdict: t(`reflections.status.${view.status}`) })}</p>
        )}

        {editable ? (
          <form
            class="form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <div class="field">
              <label for="reflection-title">{t('reflections.edit.titleLabel')}</label>
              <input
                id="reflection-title"
                type="text"
                value={title}
                aria-describedby="reflection-title-hint"
                aria-invalid={overTitle}
                onInput={(e) => changed({ title: e.currentTarget.value })}
                onBlur={() => void persist()}
              />
              <p id="reflection-title-hint" class={overTitle ? 'field__error' : 'hint'}>
                {overTitle ? t('reflections.edit.titleTooLong') : t('reflections.edit.titleHint')}
              </p>
            </div>
            <div class="field">
              <label for="reflection-body">{t('reflections.edit.bodyLabel')}</label>
              {/* A plain text box: no key handling, so phone keyboards' voice typing and input methods work as usual. */}
              <textarea
                id="reflection-body"
                class="reflection-body"
                rows={14}
                value={body}
                aria-describedby="reflection-body-hint reflection-counter"
                aria-invalid={overBody}
                onInput={(e) => changed({ body: e.currentTarget.value })}
                onBlur={() => void persist()}
              />
              <p id="reflection-body-hint" class="hint">
                {t('reflections.edit.bodyHint')}
              </p>
              <p id="reflection-counter" class={overBody ? 'reflection-counter reflection-counter--over' : 'reflection-counter'}>
                {overBody
                  ? t('reflections.edit.tooLong', { max: REFLECTION_LIMITS.body })
                  : t('reflections.edit.counter', { count: body.length, max: REFLECTION_LIMITS.body })}
              </p>
              <p class="hint" aria-live="polite">
                {saveText}
              </p>
            </div>
            <p class="actions">
              <button type="submit" class="button button--primary button--big" aria-disabled={busy}>
                {view?.status === 'returned' ? t('reflections.edit.resubmit') : t('reflections.edit.submit')}
              </button>
              <button type="button" class="button" onClick={() => void persist()}>
                {t('reflections.edit.save')}
              </button>
            </p>
          </form>
        ) : (
          view && (
            <section aria-label={t('reflections.edit.bodyLabel')}>
              {view.title && <h2>{view.title}</h2>}
              <p class="reflection-text">{view.body}</p>
            </section>
          )
        )}

        {view?.can.consent && (
          <section class="panel" aria-labelledby="reflection-consent">
            <h2 id="reflection-consent">{t('reflections.wall.title')}</h2>
            <p>{view.consentAt ? t('reflections.edit.consentGiven') : t('reflections.edit.consentQuestion')}</p>
            {view.publishedOn.length > 0 && (
              <p>{t('reflections.edit.publishedOn', { units: view.publishedOn.map((w) => w.unitName).join('、') })}</p>
            )}
            <p class="actions">
              {view.consentAt ? (
                <button type="button" class="button" onClick={() => void act(() => consentReflection(view.id, false), '')}>
                  {t('reflections.edit.consentTake')}
                </button>
              ) : (
                <button
                  type="button"
                  class="button button--primary"
                  onClick={() => void act(() => consentReflection(view.id, true), t('reflections.edit.consentGiven'))}
                >
                  {t('reflections.edit.consentGive')}
                </button>
              )}
            </p>
          </section>
        )}

        {view?.can.withdraw && (
          <div class="actions">
            {confirmWithdraw ? (
              <div class="confirm" role="group" aria-label={t('reflections.edit.withdraw')}>
                <p>{t('reflections.edit.withdrawConfirm')}</p>
                <p class="actions">
                  <button
                    type="button"
                    class="button button--danger"
                    onClick={() => {
                      setConfirmWithdraw(false);
                      void act(() => withdrawReflection(view.id), t('reflections.edit.withdrawn'));
                    }}
                  >
                    {t('reflections.edit.withdraw')}
                  </button>
                  <button type="button" class="button" onClick={() => setConfirmWithdraw(false)}>
                    {t('common.cancel')}
                  </button>
                </p>
              </div>
            ) : (
              <button type="button" class="button button--quiet" onClick={() => setConfirmWithdraw(true)}>
                {t('reflections.edit.withdraw')}
              </button>
            )}
          </div>
        )}

        {view && view.history.length > 0 && <ReflectionHistory history={view.history} headingId="reflection-history" />}
        {view?.updatedAt && <p class="hint">{t('reflections.mine.updated', { date: when(view.updatedAt, lang) })}</p>}
      </Page>
    </>
  );
}

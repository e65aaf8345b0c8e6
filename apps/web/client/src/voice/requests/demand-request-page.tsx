import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { PROGRAM_REQUEST_LIMITS } from '#contracts';
import {
  answerRequest,
  courseChoices,
  demandFilters,
  getDemand,
  listDemand,
  mergeRequest,
  type CourseChoice,
  type ProgramRequestAnswer,
} from '../../api/program-requests.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { categoryName, date } from '../../format/format.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSession } from '../../auth/session.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { RequestAnswer, RequestStatus } from './request-parts.js';

type Kind = ProgramRequestAnswer['kind'];

/** One request for staff: who wants it, the answer form (planned, a course, declined) and merging a duplicate. */
export function DemandRequestPage({ requestId }: { requestId: string }) {
  const { t, lang } = useT();
  const session = useSession();
  const request = useResource(() => getDemand(requestId), [requestId]);
  const choices = useResource(() => demandFilters(), []);
  const others = useResource(() => listDemand({ unitId: '', category: '', status: '' }), []);
  const [kind, setKind] = useState<Kind>('planned');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [query, setQuery] = useState('');
  const [courses, setCourses] = useState<CourseChoice[] | null>(null);
  const [courseId, setCourseId] = useState('');
  const [intoId, setIntoId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>, message: string) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setDone('');
    try {
      await work();
      setDone(message);
    } catch (failure) {
      setProblem(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };

  const findCourses = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      const found = await courseChoices(requestId, query.trim());
      setCourses(found);
      setCourseId(found[0]?.id ?? '');
    }, '');
  };

  const onAnswer = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (kind === 'planned' && !note.trim()) return setProblem(t('programRequests.noteRequired'));
    if (kind === 'declined' && !reason.trim()) return setProblem(t('programRequests.reasonRequired'));
    if (kind === 'course' && !courseId) return setProblem(t('programRequests.courseRequired'));
    const answer: ProgramRequestAnswer =
      kind === 'planned'
        ? { kind, note: note.trim() }
        : kind === 'declined'
          ? { kind, reason: reason.trim() }
          : { kind, courseId, ...(note.trim() ? { note: note.trim() } : {}) };
    void run(async () => request.set(await answerRequest(requestId, answer)), t('programRequests.answered'));
  };

  const onMerge = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!intoId) return setProblem(t('programRequests.mergeChoose'));
    void run(async () => {
      await mergeRequest(requestId, intoId);
      request.reload();
    }, t('programRequests.mergedDone'));
  };

  const view = request.data;
  const answerable = view && view.status !== 'withdrawn';
  const mergeable = session.user.role === 'editor' && view && (view.status === 'open' || view.status === 'planned');
  const categoryOf = (code: string | null) => {
    const known = choices.data?.memberCategories.find((c) => c.code === code);
    return known ? (lang === 'en' ? known.nameEn : known.nameZh) : (code ?? t('programRequests.noMemberCategory'));
  };

  return (
    <Page title={view?.title ?? t('programRequests.requestTitle')}>
      <p>
        <Link href="/voice/requests">{t('programRequests.backToDemand')}</Link>
      </p>
      <Alert message={request.error && t(request.error)} />
      {view && (
        <>
          <p class="request-card__meta">
            <RequestStatus status={view.status} />
            <strong>{t('programRequests.votes', { count: view.votes })}</strong>
            {view.category && <span>{categoryName(view.category, lang)}</span>}
            <span>{t('programRequests.askedOn', { date: date(view.createdAt, lang) })}</span>
          </p>
          {view.detail && <p class="request-detail">{view.detail}</p>}
          <p>
            {t('programRequests.requester', {
              who: view.requester
                ? t('programRequests.requesterUnit', { name: view.requester.name, unit: view.requester.unitName })
                : t('programRequests.outsideScope'),
            })}
          </p>
          {view.votesByCategory.length > 0 && (
            <>
              <h2>{t('programRequests.votesByCategory')}</h2>
              <ul>
                {view.votesByCategory.map((row) => (
                  <li key={row.category ?? ''}>
                    {t('programRequests.categoryVotes', {
                      category: categoryOf(row.category),
                      votes: t('programRequests.votes', { count: row.votes }),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
          <RequestAnswer request={view} />

          {answerable && (
            <section class="panel" aria-labelledby="answer-heading">
              <h2 id="answer-heading">{t('programRequests.answerHeading')}</h2>
              <fieldset class="choices">
                <legend>{t('programRequests.answerKind')}</legend>
                {(['planned', 'course', 'declined'] as const).map((k) => (
                  <label key={k} class="choice">
                    <input type="radio" name="answer-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                    {t(
                      k === 'planned'
                        ? 'programRequests.kindPlanned'
                        : k === 'course'
                          ? 'programRequests.kindCourse'
                          : 'programRequests.kindDeclined',
                    )}
                  </label>
                ))}
              </fieldset>

              {kind === 'course' && (
                <form class="search" role="search" onSubmit={findCourses}>
                  <label for="course-query">{t('programRequests.courseSearch')}</label>
                  <div class="search__row">
                    <input
                      id="course-query"
                      type="search"
                      autocomplete="off"
                      value={query}
                      onInput={(e) => setQuery(e.currentTarget.value)}
                    />
                    <button type="submit" class="button">
                      {t('programRequests.courseSearchButton')}
                    </button>
                  </div>
                </form>
              )}

              <form class="form" onSubmit={onAnswer} noValidate>
                {kind === 'course' &&
                  courses &&
                  (courses.length === 0 ? (
                    <p class="status">{t('programRequests.noCourses')}</p>
                  ) : (
                    <div class="field">
                      <label for="course-choice">{t('programRequests.courseChoice')}</label>
                      <select id="course-choice" value={courseId} onChange={(e) => setCourseId(e.currentTarget.value)}>
                        {courses.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.title}
                          </option>
                        ))}
                      </select>
                    </div>
                  ))}
                {kind !== 'declined' && (
                  <div class="field">
                    <label for="answer-note">{t('programRequests.noteLabel')}</label>
                    <p class="hint" id="answer-note-hint">
                      {t('programRequests.noteHint')}
                    </p>
                    <textarea
                      id="answer-note"
                      rows={3}
                      maxLength={PROGRAM_REQUEST_LIMITS.note}
                      aria-describedby="answer-note-hint"
                      value={note}
                      onInput={(e) => setNote(e.currentTarget.value)}
                    />
                  </div>
                )}
                {kind === 'declined' && (
                  <div class="field">
                    <label for="answer-reason">{t('programRequests.reasonLabel')}</label>
                    <p class="hint" id="answer-reason-hint">
                      {t('programRequests.reasonHint')}
                    </p>
                    <textarea
                      id="answer-reason"
                      rows={3}
                      maxLength={PROGRAM_REQUEST_LIMITS.reason}
                      aria-describedby="answer-reason-hint"
                      value={reason}
                      onInput={(e) => setReason(e.currentTarget.value)}
                    />
                  </div>
                )}
                <p>
                  <button type="submit" class="button button--primary button--big" aria-disabled={busy}>
                    {t('programRequests.sendAnswer')}
                  </button>
                </p>
              </form>
            </section>
          )}

          {mergeable && (
            <section class="panel" aria-labelledby="merge-heading">
              <h2 id="merge-heading">{t('programRequests.mergeHeading')}</h2>
              <p>{t('programRequests.mergeHint')}</p>
              <form class="form" onSubmit={onMerge}>
                <div class="field">
                  <label for="merge-into">{t('programRequests.mergeInto')}</label>
                  <select id="merge-into" value={intoId} onChange={(e) => setIntoId(e.currentTarget.value)}>
                    <option value="">{t('programRequests.mergeChoose')}</option>
                    {(others.data ?? [])
                      .filter((r) => r.id !== requestId && r.status !== 'withdrawn')
                      .map((r) => (
                        <option key={r.id} value={r.id}>
                          {t('programRequests.mergeOption', { title: r.title, votes: t('programRequests.votes', { count: r.votes }) })}
                        </option>
                      ))}
                  </select>
                </div>
                <p>
                  <button type="submit" class="button">
                    {t('programRequests.mergeButton')}
                  </button>
                </p>
              </form>
            </section>
          )}
          <Alert message={problem} />
          <p class="status" role="status">
            {done}
          </p>
        </>
      )}
    </Page>
  );
}

import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { ExamView, QuestionKind, SamplePaper } from '#contracts';
import {
  changeExamStatus,
  createExam,
  getExam,
  getQuestion,
  listExams,
  listTopics,
  sampleExamPaper,
  updateExam,
} from '../../api/exam-bank.js';
import { listStudioCourses } from '../../api/studio.js';
import { listPlans } from '../../api/study.js';
import { useSession } from '../../auth/session.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { navigate } from '../../router/router.js';
import { ExamAudiencePicker, mayReadTargets } from './exam-audience.js';
import { checkExam, emptyExam, examDraftOf, examInputOf, paperTotals, type ExamDraft, type ExamField } from './exam-draft.js';
import { DrawRules, FixedPaper } from './exam-paper.js';
import { EditorLoading, fieldNotes } from './form-notes.js';
import { QuestionPreview } from './question-preview.js';
import { bankPaths, problemText } from './shared.js';

interface Loaded {
  exam: ExamView;
  draft: ExamDraft;
}

type KnownQuestion = { kind: QuestionKind; stem: string; points: number };

/** A saved exam with the texts of its fixed questions (a question that cannot be read shows its id). */
async function loadExam(examId: string): Promise<Loaded> {
  const exam = await getExam(examId);
  const known = new Map<string, KnownQuestion>();
  await Promise.all(
    exam.fixedItems.map(async (item) => {
      try {
        const question = await getQuestion(item.questionId);
        known.set(item.questionId, { kind: question.kind, stem: question.stem, points: question.points });
      } catch {
        // Shown by its id; the paper is still saved as it is.
      }
    }),
  );
  return { exam, draft: examDraftOf(exam, known) };
}

// What the first save of a new exam said, for the page of the saved exam it moves to.
let carried: string | null = null;

export function ExamEditPage({ examId }: { examId?: string }) {
  const { t } = useT();
  const loaded = useResource<Loaded | null>(() => (examId ? loadExam(examId) : Promise.resolve(null)), [examId]);
  if (examId && !loaded.data) {
    return <EditorLoading title={t('examEditor.exam.editTitle')} error={loaded.error} loading={loaded.loading} />;
  }
  return <ExamForm key={loaded.data?.exam.id ?? 'new'} loaded={loaded.data} />;
}

function ExamForm({ loaded }: { loaded: Loaded | null }) {
  const { t } = useT();
  const [exam, setExam] = useState<ExamView | null>(loaded?.exam ?? null);
  const [draft, setDraft] = useState<ExamDraft>(() => loaded?.draft ?? emptyExam());
  const [invalid, setInvalid] = useState<Partial<Record<ExamField, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(() => {
    const said = carried;
    carried = null;
    return said;
  });
  const [busy, setBusy] = useState<'save' | 'publish' | 'archive' | null>(null);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [sample, setSample] = useState<SamplePaper | null>(null);
  const [sampleBusy, setSampleBusy] = useState(false);
  const topics = useResource(listTopics, []);
  const courses = useResource(listStudioCourses, []);
  const plansReadable = mayReadTargets(useSession().user.role);
  const plans = useResource(() => (plansReadable ? listPlans() : Promise.resolve(null)), [plansReadable]);
  const exams = useResource(async () => (await listExams({ limit: 100 })).items, []);
  const refs = {
    title: useRef<HTMLInputElement>(null),
    items: useRef<HTMLElement>(null),
    rules: useRef<HTMLElement>(null),
    timeLimitMin: useRef<HTMLInputElement>(null),
    passPercent: useRef<HTMLInputElement>(null),
    maxAttempts: useRef<HTMLInputElement>(null),
    window: useRef<HTMLInputElement>(null),
    creditHours: useRef<HTMLInputElement>(null),
    prerequisite: useRef<HTMLFieldSetElement>(null),
    audience: useRef<HTMLDivElement>(null),
  };

  const wordsOf = (found: ReturnType<typeof checkExam>) =>
    Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(`examEditor.exam.${key}`)]));
  const set = (changes: Partial<ExamDraft>) => {
    const next = { ...draft, ...changes };
    setDraft(next);
    setStatus(null);
    // Once the notes in red are shown, they follow the changes: a fixed field loses its note.
    if (Object.keys(invalid).length > 0) {
      const still = Object.fromEntries(Object.entries(wordsOf(checkExam(next, false))).filter(([field]) => field in invalid));
      setInvalid(still);
      if (Object.keys(still).length === 0) setProblem(null);
    }
  };
  const locked = (exam?.attemptCount ?? 0) > 0;
  const totals = paperTotals(draft);

  const { errorOf, described } = fieldNotes('exam', invalid);

  /** Checks and saves the form; the saved exam, or null when something must change first. */
  const save = async (forPublishing: boolean): Promise<ExamView | null> => {
    const found = checkExam(draft, forPublishing);
    setInvalid(wordsOf(found));
    if (Object.keys(found).length > 0) {
      setProblem(t('examEditor.fixErrors'));
      const order = Object.keys(refs) as ExamField[];
      refs[order.find((field) => found[field])!].current?.focus();
      return null;
    }
    const saved = exam ? await updateExam(exam.id, examInputOf(draft)) : await createExam(examInputOf(draft));
    setExam(saved);
    return saved;
  };

  const run = async (action: 'save' | 'publish' | 'archive') => {
    if (busy) return;
    setBusy(action);
    setProblem(null);
    setStatus(null);
    setConfirmArchive(false);
    try {
      let saved: ExamView | null;
      if (action === 'archive') saved = await changeExamStatus(exam!.id, 'archive');
      else {
        saved = await save(action === 'publish');
        if (saved && action === 'publish') saved = await changeExamStatus(saved.id, 'publish');
      }
      if (!saved) return;
      setExam(saved);
      const said = t(`examEditor.exam.${action === 'save' ? 'saved' : action === 'publish' ? 'published' : 'archived'}`);
      if (!exam) {
        carried = said;
        navigate(bankPaths.exam(saved.id), { replace: true });
        return;
      }
      setStatus(said);
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run('save');
  };

  const loadSample = async () => {
    if (!exam) return;
    setSampleBusy(true);
    setProblem(null);
    try {
      setSample(await sampleExamPaper(exam.id));
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setSampleBusy(false);
    }
  };

  const title = exam ? t('examEditor.exam.editTitle') : t('examEditor.exam.newTitle');
  const otherExams = (exams.data ?? []).filter((other) => other.id !== exam?.id);
  const postTitles = (exam?.postExamIds ?? []).map((id) => exams.data?.find((e) => e.id === id)?.title ?? id);
  const prereqShareInput = (
    <div class="field">
      <label for="exam-share">{t('examEditor.exam.prereqShare')}</label>
      <input
        id="exam-share"
        type="number"
        inputMode="numeric"
        min={1}
        max={100}
        aria-describedby="exam-share-hint"
        value={draft.requiresShare}
        onInput={(e) => set({ requiresShare: e.currentTarget.value })}
      />
      <p id="exam-share-hint" class="hint">
        {t('examEditor.exam.prereqShareHint')}
      </p>
    </div>
  );

  return (
    <>
      <Breadcrumb
        trail={[
          { href: '/studio', label: t('studio.title') },
          { href: bankPaths.exams, label: t('examEditor.exams.title') },
        ]}
        current={exam?.title || title}
      />
      <Page title={title}>
        {exam && (
          <p>
            <span class={`badge badge--${exam.status}`}>
              {t('examEditor.exam.status', { status: t(`examEditor.exams.status.${exam.status}`) })}
            </span>
          </p>
        )}
        {locked && <p class="notice">{t('examEditor.exam.attemptsNote', { count: exam!.attemptCount })}</p>}
        <form class="form exam-form" noValidate aria-busy={busy !== null} onSubmit={submit}>
          <Alert message={problem} />

          <section class="panel" aria-labelledby="exam-basics">
            <h2 id="exam-basics">{t('examEditor.exam.basics')}</h2>
            <div class="form form--compact">
              <div class="field">
                <label for="exam-title">{t('examEditor.exam.titleLabel')}</label>
                <input
                  ref={refs.title}
                  id="exam-title"
                  type="text"
                  maxLength={200}
                  aria-invalid={!!invalid.title}
                  aria-describedby={described('title')}
                  value={draft.title}
                  onInput={(e) => set({ title: e.currentTarget.value })}
                />
                {errorOf('title')}
              </div>
              <div class="field">
                <label for="exam-description">{t('examEditor.exam.description')}</label>
                <textarea
                  id="exam-description"
                  rows={3}
                  maxLength={4000}
                  value={draft.description}
                  onInput={(e) => set({ description: e.currentTarget.value })}
                />
              </div>
            </div>
          </section>

          <section class="panel" aria-labelledby="exam-paper">
            <h2 id="exam-paper">{t('examEditor.exam.paper')}</h2>
            <fieldset class="choices" disabled={locked}>
              <legend>{t('examEditor.exam.paperKind')}</legend>
              <label class="choice">
                <input type="radio" name="paperKind" checked={draft.paperKind === 'fixed'} onChange={() => set({ paperKind: 'fixed' })} />
                {t('examEditor.exam.fixed')}
              </label>
              <label class="choice">
                <input type="radio" name="paperKind" checked={draft.paperKind === 'drawn'} onChange={() => set({ paperKind: 'drawn' })} />
                {t('examEditor.exam.drawn')}
              </label>
            </fieldset>
            {draft.paperKind === 'fixed' ? (
              <section ref={refs.items} tabIndex={-1} aria-describedby={described('items')} aria-label={t('examEditor.exam.fixedItems')}>
                {errorOf('items')}
                <FixedPaper items={draft.items} locked={locked} onChange={(items) => set({ items })} />
              </section>
            ) : (
              <section ref={refs.rules} tabIndex={-1} aria-describedby={described('rules')} aria-label={t('examEditor.exam.rules')}>
                {errorOf('rules')}
                <DrawRules
                  rules={draft.rules}
                  topics={topics.data ?? []}
                  locked={locked}
                  invalid={!!invalid.rules}
                  onChange={(rules) => set({ rules })}
                />
              </section>
            )}
            <p class="exam-summary">
              {totals.score !== null
                ? t('examEditor.exam.total', { count: totals.count, score: totals.score })
                : t('examEditor.exam.rulesTotal', { count: totals.count })}
            </p>
          </section>

          <section class="panel" aria-labelledby="exam-settings">
            <h2 id="exam-settings">{t('examEditor.exam.settings')}</h2>
            <div class="form form--compact">
              <div class="field-row">
                <div class="field">
                  <label for="exam-time">{t('examEditor.exam.timeLimit')}</label>
                  <input
                    ref={refs.timeLimitMin}
                    id="exam-time"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    step={1}
                    aria-invalid={!!invalid.timeLimitMin}
                    aria-describedby={described('timeLimitMin')}
                    value={draft.timeLimitMin}
                    onInput={(e) => set({ timeLimitMin: e.currentTarget.value })}
                  />
                  {errorOf('timeLimitMin')}
                </div>
                <div class="field">
                  <label for="exam-pass">{t('examEditor.exam.passPercent')}</label>
                  <input
                    ref={refs.passPercent}
                    id="exam-pass"
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={100}
                    aria-invalid={!!invalid.passPercent}
                    aria-describedby={described('passPercent')}
                    value={draft.passPercent}
                    onInput={(e) => set({ passPercent: e.currentTarget.value })}
                  />
                  {errorOf('passPercent')}
                </div>
                <div class="field">
                  <label for="exam-attempts">{t('examEditor.exam.maxAttempts')}</label>
                  <input
                    ref={refs.maxAttempts}
                    id="exam-attempts"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    step={1}
                    aria-invalid={!!invalid.maxAttempts}
                    aria-describedby={described('maxAttempts')}
                    value={draft.maxAttempts}
                    onInput={(e) => set({ maxAttempts: e.currentTarget.value })}
                  />
                  {errorOf('maxAttempts')}
                </div>
              </div>
              <div>
                <label class="choice">
                  <input
                    type="checkbox"
                    checked={draft.shuffleQuestions}
                    onChange={(e) => set({ shuffleQuestions: e.currentTarget.checked })}
                  />
                  {t('examEditor.exam.shuffleQuestions')}
                </label>
                <label class="choice">
                  <input
                    type="checkbox"
                    checked={draft.shuffleOptions}
                    onChange={(e) => set({ shuffleOptions: e.currentTarget.checked })}
                  />
                  {t('examEditor.exam.shuffleOptions')}
                </label>
              </div>
              <fieldset class="choices">
                <legend>{t('examEditor.exam.scoring')}</legend>
                <label class="choice">
                  <input
                    type="radio"
                    name="scoring"
                    aria-describedby="exam-scoring-all"
                    checked={draft.multipleScoring === 'all_or_nothing'}
                    onChange={() => set({ multipleScoring: 'all_or_nothing' })}
                  />
                  {t('examEditor.exam.allOrNothing')}
                </label>
                <p id="exam-scoring-all" class="hint hint-inline">
                  {t('examEditor.exam.allOrNothingHint')}
                </p>
                <label class="choice">
                  <input
                    type="radio"
                    name="scoring"
                    aria-describedby="exam-scoring-partial"
                    checked={draft.multipleScoring === 'partial'}
                    onChange={() => set({ multipleScoring: 'partial' })}
                  />
                  {t('examEditor.exam.partial')}
                </label>
                <p id="exam-scoring-partial" class="hint hint-inline">
                  {t('examEditor.exam.partialHint')}
                </p>
              </fieldset>
              <fieldset class="choices">
                <legend>{t('examEditor.exam.window')}</legend>
                <div class="field-row">
                  <div class="field">
                    <label for="exam-opens">{t('examEditor.exam.opensAt')}</label>
                    <input
                      ref={refs.window}
                      id="exam-opens"
                      type="datetime-local"
                      aria-invalid={!!invalid.window}
                      aria-describedby={described('window')}
                      value={draft.opensAt}
                      onInput={(e) => set({ opensAt: e.currentTarget.value })}
                    />
                  </div>
                  <div class="field">
                    <label for="exam-closes">{t('examEditor.exam.closesAt')}</label>
                    <input
                      id="exam-closes"
                      type="datetime-local"
                      aria-invalid={!!invalid.window}
                      aria-describedby={described('window')}
                      value={draft.closesAt}
                      onInput={(e) => set({ closesAt: e.currentTarget.value })}
                    />
                  </div>
                </div>
                {errorOf('window')}
              </fieldset>
              <label class="choice">
                <input type="checkbox" checked={draft.showAnswers} onChange={(e) => set({ showAnswers: e.currentTarget.checked })} />
                {t('examEditor.exam.showAnswers')}
              </label>
              <div class="field">
                <label for="exam-credit">{t('examEditor.exam.creditHours')}</label>
                <input
                  ref={refs.creditHours}
                  id="exam-credit"
                  type="number"
                  inputMode="decimal"
                  min={0.5}
                  step={0.5}
                  aria-invalid={!!invalid.creditHours}
                  aria-describedby={described('creditHours', 'exam-credit-hint')}
                  value={draft.creditHours}
                  onInput={(e) => set({ creditHours: e.currentTarget.value })}
                />
                <p id="exam-credit-hint" class="hint">
                  {t('examEditor.exam.creditHoursHint')}
                </p>
                {errorOf('creditHours')}
              </div>
            </div>
          </section>

          <section class="panel" aria-labelledby="exam-prereq">
            <h2 id="exam-prereq">{t('examEditor.exam.prerequisite')}</h2>
            <fieldset ref={refs.prerequisite} class="choices" tabIndex={-1} aria-describedby={described('prerequisite')}>
              <legend class="visually-hidden">{t('examEditor.exam.prerequisite')}</legend>
              {errorOf('prerequisite')}
              {(['none', 'course', 'plan'] as const).map((kind) => (
                <label key={kind} class="choice">
                  <input
                    type="radio"
                    name="prerequisite"
                    checked={draft.prerequisite === kind}
                    disabled={kind === 'plan' && !plans.data && draft.prerequisite !== 'plan'}
                    onChange={() => set({ prerequisite: kind })}
                  />
                  {t(`examEditor.exam.${kind === 'none' ? 'prereqNone' : kind === 'course' ? 'prereqCourse' : 'prereqPlan'}`)}
                </label>
              ))}
              {!plans.loading && !plans.data && <p class="hint">{t('examEditor.exam.plansUnavailable')}</p>}
              {draft.prerequisite === 'course' && (
                <div class="form form--compact">
                  <div class="field">
                    <label for="exam-course">{t('examEditor.exam.prereqCourseLabel')}</label>
                    <select
                      id="exam-course"
                      value={draft.requiresCourseId}
                      onChange={(e) => set({ requiresCourseId: e.currentTarget.value })}
                    >
                      <option value="">{t('examEditor.exam.prereqPick')}</option>
                      {(courses.data ?? []).map((course) => (
                        <option key={course.id} value={course.id}>
                          {course.title}
                        </option>
                      ))}
                    </select>
                  </div>
                  {prereqShareInput}
                </div>
              )}
              {draft.prerequisite === 'plan' && (
                <div class="form form--compact">
                  <div class="field">
                    <label for="exam-plan">{t('examEditor.exam.prereqPlanLabel')}</label>
                    <select id="exam-plan" value={draft.requiresPlanId} onChange={(e) => set({ requiresPlanId: e.currentTarget.value })}>
                      <option value="">{t('examEditor.exam.prereqPick')}</option>
                      {(plans.data ?? []).map((plan) => (
                        <option key={plan.id} value={plan.id}>
                          {plan.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  {prereqShareInput}
                </div>
              )}
            </fieldset>
          </section>

          <section class="panel" aria-labelledby="exam-pairing">
            <h2 id="exam-pairing">{t('examEditor.exam.pairing')}</h2>
            <div class="field">
              <label for="exam-pre">{t('examEditor.exam.preExam')}</label>
              <select
                id="exam-pre"
                aria-describedby="exam-pre-hint"
                value={draft.preExamId}
                onChange={(e) => set({ preExamId: e.currentTarget.value })}
              >
                <option value="">{t('examEditor.exam.preExamNone')}</option>
                {otherExams.map((other) => (
                  <option key={other.id} value={other.id}>
                    {other.title}
                  </option>
                ))}
              </select>
              <p id="exam-pre-hint" class="hint">
                {t('examEditor.exam.preExamHint')}
              </p>
            </div>
            {postTitles.length > 0 && <p>{t('examEditor.exam.postExams', { titles: postTitles.join('、') })}</p>}
          </section>

          <div ref={refs.audience} tabIndex={-1} aria-describedby={described('audience')}>
            <ExamAudiencePicker audience={draft.audience} onChange={(audience) => set({ audience })} error={errorOf('audience')} />
          </div>

          <div class="actions exam-actions">
            <button type="submit" class="button button--big" aria-disabled={busy !== null}>
              {busy === 'save'
                ? t('examEditor.exam.saving')
                : exam?.status === 'draft' || !exam
                  ? t('examEditor.exam.saveDraft')
                  : t('examEditor.exam.save')}
            </button>
            {(!exam || exam.status === 'draft') && (
              <button
                type="button"
                class="button button--primary button--big"
                aria-disabled={busy !== null}
                onClick={() => void run('publish')}
              >
                {busy === 'publish' ? t('examEditor.exam.publishing') : t('examEditor.exam.publish')}
              </button>
            )}
            {exam && exam.status !== 'archived' && (
              <button
                type="button"
                class="button button--danger button--big"
                aria-disabled={busy !== null}
                aria-expanded={confirmArchive}
                onClick={() => setConfirmArchive(!confirmArchive)}
              >
                {busy === 'archive' ? t('examEditor.exam.archiving') : t('examEditor.exam.archive')}
              </button>
            )}
          </div>
          {confirmArchive && (
            <div class="confirm">
              <p>{t('examEditor.exam.archiveConfirm')}</p>
              <p class="actions">
                <button type="button" class="button button--danger-strong" onClick={() => void run('archive')}>
                  {t('examEditor.exam.archiveYes')}
                </button>
                <button type="button" class="button" onClick={() => setConfirmArchive(false)}>
                  {t('examEditor.exam.cancel')}
                </button>
              </p>
            </div>
          )}
          <p class="status" role="status">
            {status}
          </p>
        </form>

        <section class="panel" aria-labelledby="exam-sample">
          <h2 id="exam-sample">{t('examEditor.exam.sample')}</h2>
          {exam ? (
            <>
              <p class="hint">{t('examEditor.exam.sampleIntro')}</p>
              <p class="actions">
                <button type="button" class="button" aria-disabled={sampleBusy} onClick={() => void loadSample()}>
                  {sampleBusy ? t('examEditor.exam.sampleLoading') : t('examEditor.exam.sampleLoad')}
                </button>
              </p>
              {sample && (
                <>
                  <p class="exam-summary">{t('examEditor.exam.sampleTotal', { count: sample.items.length, score: sample.maxScore })}</p>
                  {sample.items.map((item, index) => (
                    <QuestionPreview
                      key={`${item.item}-${index}`}
                      number={index + 1}
                      showAnswer
                      question={{
                        kind: item.kind,
                        stem: item.stem,
                        options: item.options,
                        points: item.points,
                        imageUrl: item.imageUrl,
                        answer: item.key,
                        explanation: item.explanation,
                      }}
                    />
                  ))}
                </>
              )}
            </>
          ) : (
            <p class="hint">{t('examEditor.exam.sampleSaveFirst')}</p>
          )}
        </section>
        <p>
          <Link href={bankPaths.exams}>{t('examEditor.exam.backToList')}</Link>
        </p>
      </Page>
    </>
  );
}

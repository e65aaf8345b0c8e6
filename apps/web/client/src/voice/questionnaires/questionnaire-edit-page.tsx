import { useEffect, useState } from 'preact/hooks';
import {
  QUESTIONNAIRE_LIMITS as L,
  type QuestionnaireAction,
  type QuestionnaireQuestion,
  type QuestionnaireQuestionKind,
  type QuestionnaireView,
} from '#contracts';
import { actOnQuestionnaire, createQuestionnaire, getQuestionnaire, updateQuestionnaire } from '../../api/questionnaires.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { ExamAudiencePicker } from '../../exams/editor/exam-audience.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { navigate } from '../../router/router.js';
import { problemText } from './questionnaire-bits.js';
import {
  draftOf,
  draftProblems,
  emptyDraft,
  emptyQuestion,
  inputOf,
  isChoice,
  moved,
  nextOptionId,
  withKind,
  type QuestionnaireDraft,
} from './questionnaire-draft.js';
import { questionnairePaths } from './questionnaire-bits.js';
import './questionnaires.css';

const KINDS: QuestionnaireQuestionKind[] = ['single', 'multiple', 'rating', 'ranking', 'text'];
const ACTIONS: Record<
  QuestionnaireAction,
  { from: string[]; done: 'questionnaires.edit.opened' | 'questionnaires.edit.closedDone' | 'questionnaires.edit.archived' }
> = {
  open: { from: ['draft', 'closed'], done: 'questionnaires.edit.opened' },
  close: { from: ['open'], done: 'questionnaires.edit.closedDone' },
  archive: { from: ['draft', 'open', 'closed'], done: 'questionnaires.edit.archived' },
};

/**
 * Writing a questionnaire: its title, introduction, whether it is anonymous, its window and audience, and its
 * questions of each kind with options, an "other" option, a scale, and a condition on an earlier answer. It is
 * opened, closed and archived from here.
 */
export function QuestionnaireEditPage({ questionnaireId }: { questionnaireId?: string }) {
  const { t } = useT();
  const [view, setView] = useState<QuestionnaireView | null>(null);
  const [draft, setDraft] = useState<QuestionnaireDraft | null>(questionnaireId ? null : emptyDraft());
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!questionnaireId) return;
    getQuestionnaire(questionnaireId)
      .then((found) => {
        setView(found);
        setDraft(draftOf(found));
      })
      .catch((failure: unknown) => setLoadProblem(problemText(failure, t)));
  }, [questionnaireId]);

  const title = questionnaireId ? t('questionnaires.edit.editTitle') : t('questionnaires.edit.newTitle');
  if (!draft) {
    return <Page title={title}>{loadProblem ? <Alert message={loadProblem} /> : <p role="status">…</p>}</Page>;
  }

  const archived = view?.status === 'archived';
  const answered = (view?.respondentCount ?? 0) > 0;
  const change = (changes: Partial<QuestionnaireDraft>) => {
    setDraft({ ...draft, ...changes });
    setStatus('');
  };
  const setQuestions = (questions: QuestionnaireQuestion[]) => change({ questions });
  const updateQuestion = (index: number, next: QuestionnaireQuestion) => {
    const questions = draft.questions.map((q, i) => (i === index ? next : q));
    // Later questions' conditions follow what is left of this one.
    setQuestions(
      questions.map((q) => {
        if (q.showIf?.questionId !== next.id) return q;
        if (!isChoice(next.kind)) return { ...q, showIf: null };
        const optionIds = q.showIf.optionIds.filter((id) => next.options.some((o) => o.id === id));
        return { ...q, showIf: { ...q.showIf, optionIds } };
      }),
    );
  };
  const removeQuestion = (index: number) => {
    const gone = draft.questions[index]!.id;
    setQuestions(draft.questions.filter((_, i) => i !== index).map((q) => (q.showIf?.questionId === gone ? { ...q, showIf: null } : q)));
  };

  const save = async (): Promise<QuestionnaireView | null> => {
    setProblem(null);
    setStatus('');
    const problems = draftProblems(draft);
    if (problems.length) {
      setProblem(problems.map((p) => t(`questionnaires.edit.problems.${p.key}`, { n: p.n ?? 0 })).join(' '));
      return null;
    }
    setBusy(true);
    try {
      if (!questionnaireId) {
        const made = await createQuestionnaire(inputOf(draft));
        navigate(questionnairePaths.edit(made.id), { replace: true });
        return made;
      }
      const saved = await updateQuestionnaire(questionnaireId, inputOf(draft));
      setView(saved);
      setDraft(draftOf(saved));
      setStatus(t('questionnaires.edit.saved'));
      return saved;
    } catch (failure) {
      setProblem(problemText(failure, t));
      return null;
    } finally {
      setBusy(false);
    }
  };

  const act = async (action: QuestionnaireAction) => {
    if (!questionnaireId) return;
    if (action === 'archive' && !window.confirm(t('questionnaires.edit.archiveConfirm'))) return;
    if (action !== 'archive' && !(await save())) return;
    setBusy(true);
    setProblem(null);
    try {
      const next = await actOnQuestionnaire(questionnaireId, action);
      setView(next);
      setDraft(draftOf(next));
      setStatus(t(ACTIONS[action].done));
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={title}>
      <p>
        <Link href={questionnairePaths.list}>{t('questionnaires.edit.back')}</Link>
      </p>
      {view && (
        <p class="qn-facts">
          <span class={`badge badge--${view.status}`}>
            {t('questionnaires.edit.statusLine', { status: t(`questionnaires.status.${view.status}`) })}
          </span>
          <span>{t('questionnaires.edit.respondents', { count: view.respondentCount })}</span>
        </p>
      )}
      {archived && <p class="notice">{t('questionnaires.edit.archivedNote')}</p>}
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset disabled={archived || busy} class="qn-plain">
          <section class="panel" aria-labelledby="qn-basics">
            <h2 id="qn-basics">{t('questionnaires.edit.basics')}</h2>
            <div class="field">
              <label for="qn-title">{t('questionnaires.edit.titleLabel')}</label>
              <input
                id="qn-title"
                type="text"
                maxLength={L.title}
                value={draft.title}
                onInput={(e) => change({ title: e.currentTarget.value })}
              />
              <p class="qn-count">{t('questionnaires.edit.chars', { count: draft.title.length, max: L.title })}</p>
            </div>
            <div class="field">
              <label for="qn-intro">{t('questionnaires.edit.introLabel')}</label>
              <textarea
                id="qn-intro"
                class="qn-textarea"
                maxLength={L.intro}
                value={draft.intro}
                onInput={(e) => change({ intro: e.currentTarget.value })}
              />
              <p class="qn-count">{t('questionnaires.edit.chars', { count: draft.intro.length, max: L.intro })}</p>
            </div>
            <label class="choice">
              <input
                type="checkbox"
                checked={draft.anonymous}
                disabled={answered}
                aria-describedby="qn-anonymous-hint"
                onChange={(e) => change({ anonymous: e.currentTarget.checked })}
              />
              {t('questionnaires.edit.anonymous')}
            </label>
            <p id="qn-anonymous-hint" class="hint">
              {answered ? t('questionnaires.edit.anonymousFixed') : t('questionnaires.edit.anonymousHint')}
            </p>
            <fieldset>
              <legend>{t('questionnaires.edit.window')}</legend>
              <div class="qn-row">
                <div class="field">
                  <label for="qn-opens">{t('questionnaires.edit.opensAt')}</label>
                  <input
                    id="qn-opens"
                    class="qn-input"
                    type="datetime-local"
                    value={draft.opensAt}
                    onInput={(e) => change({ opensAt: e.currentTarget.value })}
                  />
                </div>
                <div class="field">
                  <label for="qn-closes">{t('questionnaires.edit.closesAt')}</label>
                  <input
                    id="qn-closes"
                    class="qn-input"
                    type="datetime-local"
                    value={draft.closesAt}
                    onInput={(e) => change({ closesAt: e.currentTarget.value })}
                  />
                </div>
              </div>
            </fieldset>
          </section>

          <ExamAudiencePicker audience={draft.audience} onChange={(audience) => change({ audience })} />

          <section class="panel" aria-labelledby="qn-questions">
            <h2 id="qn-questions">{t('questionnaires.edit.questions')}</h2>
            {answered && <p class="notice">{t('questionnaires.edit.questionsLocked', { count: view!.respondentCount })}</p>}
            <fieldset disabled={answered} class="qn-plain">
              {draft.questions.length === 0 && <p class="hint">{t('questionnaires.edit.noQuestions')}</p>}
              <ol class="qn-questions">
                {draft.questions.map((q, index) => (
                  <li key={q.id}>
                    <QuestionEditor
                      question={q}
                      index={index}
                      count={draft.questions.length}
                      earlier={draft.questions.slice(0, index)}
                      onChange={(next) => updateQuestion(index, next)}
                      onMove={(by) => setQuestions(moved(draft.questions, index, by))}
                      onRemove={() => removeQuestion(index)}
                    />
                  </li>
                ))}
              </ol>
              <p class="actions">
                {KINDS.map((kind) => (
                  <button key={kind} type="button" class="button" onClick={() => setQuestions([...draft.questions, emptyQuestion(kind)])}>
                    {t('questionnaires.edit.add', { kind: t(`questionnaires.kinds.${kind}`) })}
                  </button>
                ))}
              </p>
            </fieldset>
          </section>

          <Alert message={problem} />
          <p role="status">{status}</p>
          <p class="actions">
            <button type="submit" class="button button--primary button--big">
              {busy ? t('questionnaires.edit.saving') : t('questionnaires.edit.save')}
            </button>
            {view &&
              (Object.keys(ACTIONS) as QuestionnaireAction[])
                .filter((action) => ACTIONS[action].from.includes(view.status))
                .map((action) => (
                  <button key={action} type="button" class="button" onClick={() => void act(action)}>
                    {t(`questionnaires.edit.${action}`)}
                  </button>
                ))}
          </p>
        </fieldset>
      </form>
    </Page>
  );
}

interface EditorProps {
  question: QuestionnaireQuestion;
  index: number;
  count: number;
  earlier: QuestionnaireQuestion[];
  onChange(next: QuestionnaireQuestion): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}

/** One question being written. */
function QuestionEditor({ question: q, index, count, earlier, onChange, onMove, onRemove }: EditorProps) {
  const { t } = useT();
  const n = index + 1;
  const id = `qn-e-${q.id}`;
  const set = (changes: Partial<QuestionnaireQuestion>) => onChange({ ...q, ...changes });
  const choices = earlier.map((e, i) => ({ question: e, n: i + 1 })).filter((e) => isChoice(e.question.kind));
  const target = q.showIf ? earlier.find((e) => e.id === q.showIf!.questionId) : undefined;
  const hasOther = q.options.some((o) => o.other);
  return (
    <article class="qn-edit-question" aria-labelledby={`${id}-head`}>
      <div class="qn-edit-question__head">
        <h3 id={`${id}-head`}>{t('questionnaires.edit.question', { n })}</h3>
        <span class="actions actions--compact">
          <button
            type="button"
            class="button"
            disabled={index === 0}
            onClick={() => onMove(-1)}
            aria-label={t('questionnaires.edit.moveUp', { n })}
          >
            ↑
          </button>
          <button
            type="button"
            class="button"
            disabled={index === count - 1}
            onClick={() => onMove(1)}
            aria-label={t('questionnaires.edit.moveDown', { n })}
          >
            ↓
          </button>
          <button type="button" class="button" onClick={onRemove} aria-label={t('questionnaires.edit.remove', { n })}>
            ✕
          </button>
        </span>
      </div>
      <div class="qn-row">
        <div class="field">
          <label for={`${id}-kind`}>{t('questionnaires.edit.kind')}</label>
          <select
            id={`${id}-kind`}
            class="qn-select"
            value={q.kind}
            onChange={(e) => onChange(withKind(q, e.currentTarget.value as QuestionnaireQuestionKind))}
          >
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`questionnaires.kinds.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <label class="choice">
          <input type="checkbox" checked={q.required} onChange={(e) => set({ required: e.currentTarget.checked })} />
          {t('questionnaires.edit.required')}
        </label>
      </div>
      <div class="field">
        <label for={`${id}-prompt`}>{t('questionnaires.edit.prompt')}</label>
        <textarea
          id={`${id}-prompt`}
          class="qn-textarea"
          maxLength={L.prompt}
          value={q.prompt}
          onInput={(e) => set({ prompt: e.currentTarget.value })}
        />
      </div>

      {q.options.length > 0 && (
        <fieldset>
          <legend>{t('questionnaires.edit.options')}</legend>
          <ol class="qn-options">
            {q.options.map((option, i) => (
              <li key={option.id} class="qn-option-row">
                <label class="visually-hidden" for={`${id}-o-${option.id}`}>
                  {t('questionnaires.edit.option', { n: i + 1 })}
                </label>
                <input
                  id={`${id}-o-${option.id}`}
                  type="text"
                  maxLength={L.optionLabel}
                  value={option.label}
                  onInput={(e) => set({ options: q.options.map((o) => (o.id === option.id ? { ...o, label: e.currentTarget.value } : o)) })}
                />
                {option.other && <span class="hint">{t('questionnaires.edit.otherNote')}</span>}
                <button
                  type="button"
                  class="button"
                  disabled={q.options.length <= 2}
                  aria-label={t('questionnaires.edit.removeOption', { n: i + 1 })}
                  onClick={() => set({ options: q.options.filter((o) => o.id !== option.id) })}
                >
                  ✕
                </button>
              </li>
            ))}
          </ol>
          <p class="actions actions--compact">
            <button
              type="button"
              class="button"
              disabled={q.options.length >= L.options}
              onClick={() => {
                const added = { id: nextOptionId(q), label: '' };
                const others = q.options.filter((o) => o.other);
                set({ options: [...q.options.filter((o) => !o.other), added, ...others] });
              }}
            >
              {t('questionnaires.edit.addOption')}
            </button>
            {isChoice(q.kind) && !hasOther && (
              <button
                type="button"
                class="button"
                disabled={q.options.length >= L.options}
                onClick={() =>
                  set({ options: [...q.options, { id: nextOptionId(q), label: t('questionnaires.edit.otherLabel'), other: true }] })
                }
              >
                {t('questionnaires.edit.addOther')}
              </button>
            )}
          </p>
        </fieldset>
      )}

      {q.kind === 'rating' && q.scale && (
        <fieldset>
          <legend>{t('questionnaires.edit.scale')}</legend>
          <div class="qn-row">
            <div class="field">
              <label for={`${id}-min`}>{t('questionnaires.edit.scaleMin')}</label>
              <select
                id={`${id}-min`}
                class="qn-select"
                value={q.scale.min}
                onChange={(e) => set({ scale: { ...q.scale!, min: Number(e.currentTarget.value) } })}
              >
                {[0, 1].map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`${id}-max`}>{t('questionnaires.edit.scaleMax')}</label>
              <select
                id={`${id}-max`}
                class="qn-select"
                value={q.scale.max}
                onChange={(e) => set({ scale: { ...q.scale!, max: Number(e.currentTarget.value) } })}
              >
                {[2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="qn-row">
            <div class="field">
              <label for={`${id}-minl`}>{t('questionnaires.edit.minLabel')}</label>
              <input
                id={`${id}-minl`}
                type="text"
                maxLength={L.scaleLabel}
                value={q.scale.minLabel}
                onInput={(e) => set({ scale: { ...q.scale!, minLabel: e.currentTarget.value } })}
              />
            </div>
            <div class="field">
              <label for={`${id}-maxl`}>{t('questionnaires.edit.maxLabel')}</label>
              <input
                id={`${id}-maxl`}
                type="text"
                maxLength={L.scaleLabel}
                value={q.scale.maxLabel}
                onInput={(e) => set({ scale: { ...q.scale!, maxLabel: e.currentTarget.value } })}
              />
            </div>
          </div>
        </fieldset>
      )}

      {(choices.length > 0 || q.showIf) && (
        <fieldset>
          <legend>{t('questionnaires.edit.condition')}</legend>
          <div class="field">
            <label for={`${id}-if`} class="visually-hidden">
              {t('questionnaires.edit.condition')}
            </label>
            <select
              id={`${id}-if`}
              class="qn-select"
              aria-describedby={`${id}-if-hint`}
              value={q.showIf?.questionId ?? ''}
              onChange={(e) => {
                const chosen = e.currentTarget.value;
                set({ showIf: chosen ? { questionId: chosen, optionIds: [] } : null });
              }}
            >
              <option value="">{t('questionnaires.edit.always')}</option>
              {choices.map((c) => (
                <option key={c.question.id} value={c.question.id}>
                  {t('questionnaires.edit.question', { n: c.n })}: {c.question.prompt.slice(0, 40)}
                </option>
              ))}
            </select>
            <p id={`${id}-if-hint`} class="hint">
              {t('questionnaires.edit.conditionHint')}
            </p>
          </div>
          {target && q.showIf && (
            <fieldset class="choices">
              <legend>{t('questionnaires.edit.showWhen', { n: earlier.indexOf(target) + 1 })}</legend>
              {target.options.map((option) => (
                <label key={option.id} class="choice">
                  <input
                    type="checkbox"
                    checked={q.showIf!.optionIds.includes(option.id)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      const optionIds = on ? [...q.showIf!.optionIds, option.id] : q.showIf!.optionIds.filter((x) => x !== option.id);
                      set({ showIf: { questionId: target.id, optionIds } });
                    }}
                  />
                  {option.label || t('questionnaires.edit.option', { n: target.options.indexOf(option) + 1 })}
                </label>
              ))}
            </fieldset>
          )}
        </fieldset>
      )}
    </article>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';
import {
  answerIssues,
  answersToSubmit,
  QUESTIONNAIRE_LIMITS,
  visibleQuestionIds,
  type AnswerProblem,
  type QuestionnaireAnswer,
  type QuestionnaireAnswers,
  type QuestionnaireQuestion,
  type QuestionnaireToFill,
} from '#contracts';
import { ApiError } from '../../api/api.js';
import { getQuestionnaireToFill, saveQuestionnaireDraft, submitQuestionnaire } from '../../api/questionnaires.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { problemText, whenText } from './questionnaire-bits.js';
import './questionnaires.css';

type Done = 'thanks' | 'already' | null;

/**
 * A member fills a questionnaire in on their phone: one question per block with large choices; a question
 * whose condition an earlier answer no longer meets disappears; they may save and come back, then submit once.
 */
export function QuestionnaireFillPage({ questionnaireId }: { questionnaireId: string }) {
  const { t, lang } = useT();
  const [data, setData] = useState<QuestionnaireToFill | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [answers, setAnswers] = useState<QuestionnaireAnswers>({});
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [done, setDone] = useState<Done>(null);
  const doneHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    getQuestionnaireToFill(questionnaireId)
      .then((found) => {
        setData(found);
        setAnswers(found.answers);
        if (found.state === 'submitted') setDone('already');
        else if (found.savedAt) setNote(t('questionnaires.fill.resumed', { when: whenText(found.savedAt, lang) }));
      })
      .catch((failure: unknown) => setLoadProblem(problemText(failure, t)));
  }, [questionnaireId]);

  useEffect(() => {
    if (done) doneHeading.current?.focus();
  }, [done]);

  if (!data) {
    return (
      <Page title={t('questionnaires.title')}>
        {loadProblem ? <Alert message={loadProblem} /> : <p role="status">{t('questionnaires.fill.loading')}</p>}
      </Page>
    );
  }

  if (done) {
    return (
      <Page title={data.title}>
        <section class="qn-fill qn-note" aria-labelledby="qn-done">
          <h2 id="qn-done" ref={doneHeading} tabIndex={-1}>
            {done === 'thanks' ? t('questionnaires.fill.thanks') : t('questionnaires.fill.already')}
          </h2>
          {done === 'thanks' && <p>{data.anonymous ? t('questionnaires.fill.thanksAnonymous') : t('questionnaires.fill.thanksNamed')}</p>}
          <p>
            <Link href="/participate">{t('questionnaires.fill.back')}</Link>
          </p>
        </section>
      </Page>
    );
  }

  if (!data.open) {
    return (
      <Page title={data.title}>
        <p class="qn-fill qn-note">
          {Date.now() < Date.parse(data.opensAt)
            ? t('questionnaires.fill.notYet', { when: whenText(data.opensAt, lang) })
            : t('questionnaires.fill.closed')}
        </p>
        <p>
          <Link href="/participate">{t('questionnaires.fill.back')}</Link>
        </p>
      </Page>
    );
  }

  const shown = visibleQuestionIds(data.questions, answers);
  const visible = data.questions.filter((q) => shown.has(q.id));
  const issues = tried
    ? new Map(answerIssues(data.questions, answersToSubmit(data.questions, answers)).map((i) => [i.questionId, i.problem]))
    : new Map<string, AnswerProblem>();
  const change = (id: string, answer: QuestionnaireAnswer) => {
    setAnswers((all) => ({ ...all, [id]: answer }));
    setNote('');
  };

  const save = async () => {
    setBusy('save');
    setProblem(null);
    try {
      const saved = await saveQuestionnaireDraft(questionnaireId, answers);
      setNote(t('questionnaires.fill.saved', { when: whenText(saved.savedAt, lang) }));
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    setTried(true);
    setProblem(null);
    const toSend = answersToSubmit(data.questions, answers);
    const found = answerIssues(data.questions, toSend);
    if (found.length) {
      setProblem(t('questionnaires.fill.fixFirst', { count: found.length }));
      document.getElementById(`qn-q-${found[0]!.questionId}`)?.focus();
      return;
    }
    setBusy('submit');
    try {
      await submitQuestionnaire(questionnaireId, toSend);
      setDone('thanks');
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409 && /already answered/.test(failure.message)) setDone('already');
      else setProblem(problemText(failure, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title={data.title}>
      <div class="qn-fill">
        <p class="qn-note">
          {data.anonymous ? t('questionnaires.fill.anonymous') : t('questionnaires.fill.named')}
          {data.anonymous && <> {t('questionnaires.fill.anonymousDraft')}</>}
        </p>
        {data.intro && <p class="qn-intro">{data.intro}</p>}
        <p class="qn-facts">{t('questionnaires.fill.closes', { when: whenText(data.closesAt, lang) })}</p>
        {visible.map((q) => (
          <QuestionBlock
            key={q.id}
            question={q}
            number={visible.indexOf(q) + 1}
            answer={answers[q.id]}
            problem={issues.get(q.id) ?? null}
            onChange={(a) => change(q.id, a)}
          />
        ))}
        <Alert message={problem} />
        <p role="status" class="qn-count">
          {note}
        </p>
        <div class="qn-steps">
          <button type="button" class="button" disabled={busy !== null} onClick={() => void save()}>
            {busy === 'save' ? t('questionnaires.fill.saving') : t('questionnaires.fill.save')}
          </button>
          <button type="button" class="button button--primary" disabled={busy !== null} onClick={() => void submit()}>
            {busy === 'submit' ? t('questionnaires.fill.submitting') : t('questionnaires.fill.submit')}
          </button>
        </div>
      </div>
    </Page>
  );
}

interface BlockProps {
  question: QuestionnaireQuestion;
  number: number;
  answer: QuestionnaireAnswer | undefined;
  problem: AnswerProblem | null;
  onChange(answer: QuestionnaireAnswer): void;
}

/** One question: its number, whether it must be answered, its words, its controls and what is missing. */
function QuestionBlock({ question, number, answer, problem, onChange }: BlockProps) {
  const { t } = useT();
  const promptId = `qn-q-${question.id}-prompt`;
  const problemId = `qn-q-${question.id}-problem`;
  return (
    <section
      id={`qn-q-${question.id}`}
      tabIndex={-1}
      class={`qn-question${problem ? ' qn-question--problem' : ''}`}
      aria-labelledby={promptId}
    >
      <p class="qn-question__head">
        <span>{t('questionnaires.fill.question', { n: number })}</span>
        <span>{question.required ? t('questionnaires.fill.required') : t('questionnaires.fill.optional')}</span>
        {question.kind === 'multiple' && <span>{t('questionnaires.fill.multipleHint')}</span>}
      </p>
      <h2 id={promptId} class="qn-question__prompt">
        {question.prompt}
      </h2>
      <Controls
        question={question}
        answer={answer ?? {}}
        labelledBy={promptId}
        describedBy={problem ? problemId : undefined}
        onChange={onChange}
      />
      {problem && (
        <p id={problemId} class="qn-problem">
          {t(`questionnaires.fill.problems.${problem}`)}
        </p>
      )}
    </section>
  );
}

interface ControlsProps {
  question: QuestionnaireQuestion;
  answer: QuestionnaireAnswer;
  labelledBy: string;
  describedBy: string | undefined;
  onChange(answer: QuestionnaireAnswer): void;
}

function Controls({ question, answer, labelledBy, describedBy, onChange }: ControlsProps) {
  const { t } = useT();
  const name = `qn-${question.id}`;
  if (question.kind === 'single' || question.kind === 'multiple') {
    const multiple = question.kind === 'multiple';
    const chosen = answer.optionIds ?? [];
    const other = question.options.find((o) => o.other);
    const otherChosen = other !== undefined && chosen.includes(other.id);
    return (
      <fieldset aria-labelledby={labelledBy} aria-describedby={describedBy}>
        {question.options.map((option) => {
          const checked = chosen.includes(option.id);
          return (
            <label key={option.id} class={`qn-choice${checked ? ' qn-choice--chosen' : ''}`}>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name={name}
                value={option.id}
                checked={checked}
                onChange={() => {
                  const optionIds = multiple ? (checked ? chosen.filter((id) => id !== option.id) : [...chosen, option.id]) : [option.id];
                  onChange({ ...answer, optionIds });
                }}
              />
              <span>{option.label}</span>
            </label>
          );
        })}
        {otherChosen && (
          <div class="field">
            <label for={`${name}-other`}>{t('questionnaires.fill.otherPrompt', { label: other.label })}</label>
            <input
              id={`${name}-other`}
              type="text"
              maxLength={QUESTIONNAIRE_LIMITS.otherText}
              value={answer.otherText ?? ''}
              onInput={(e) => onChange({ ...answer, otherText: e.currentTarget.value })}
            />
          </div>
        )}
      </fieldset>
    );
  }
  if (question.kind === 'rating' && question.scale) {
    const { min, max, minLabel, maxLabel } = question.scale;
    const points = Array.from({ length: max - min + 1 }, (_, i) => min + i);
    return (
      <fieldset aria-labelledby={labelledBy} aria-describedby={describedBy}>
        <p class="visually-hidden">{t('questionnaires.fill.ratingHint')}</p>
        <div class="qn-scale">
          {points.map((point) => (
            <label key={point} class={`qn-choice${answer.rating === point ? ' qn-choice--chosen' : ''}`}>
              <input
                type="radio"
                name={name}
                value={point}
                checked={answer.rating === point}
                onChange={() => onChange({ rating: point })}
              />
              <span>
                {point}
                {point === min && minLabel && <span class="visually-hidden"> ({minLabel})</span>}
                {point === max && maxLabel && <span class="visually-hidden"> ({maxLabel})</span>}
              </span>
            </label>
          ))}
        </div>
        {(minLabel || maxLabel) && (
          <p class="qn-scale-ends" aria-hidden="true">
            <span>
              {min} = {minLabel}
            </span>
            <span>
              {max} = {maxLabel}
            </span>
          </p>
        )}
      </fieldset>
    );
  }
  if (question.kind === 'ranking') {
    const order = answer.ranking && answer.ranking.length === question.options.length ? answer.ranking : question.options.map((o) => o.id);
    const label = (id: string) => question.options.find((o) => o.id === id)?.label ?? id;
    const move = (index: number, by: -1 | 1) => {
      const next = [...order];
      [next[index], next[index + by]] = [next[index + by]!, next[index]!];
      onChange({ ranking: next });
    };
    const ranked = (answer.ranking?.length ?? 0) === question.options.length;
    return (
      <div role="group" aria-labelledby={labelledBy} aria-describedby={describedBy}>
        <p class="hint">{t('questionnaires.fill.rankingHint')}</p>
        <ol class="qn-ranking">
          {order.map((id, index) => (
            <li key={id} class="qn-ranking__item">
              <span class="qn-ranking__place" aria-hidden="true">
                {index + 1}
              </span>
              <span class="qn-ranking__label">{label(id)}</span>
              <button
                type="button"
                class="button"
                disabled={index === 0}
                onClick={() => move(index, -1)}
                aria-label={t('questionnaires.fill.rankUp', { label: label(id) })}
              >
                ↑
              </button>
              <button
                type="button"
                class="button"
                disabled={index === order.length - 1}
                onClick={() => move(index, 1)}
                aria-label={t('questionnaires.fill.rankDown', { label: label(id) })}
              >
                ↓
              </button>
            </li>
          ))}
        </ol>
        <p class="actions">
          <button type="button" class="button" aria-pressed={ranked} onClick={() => onChange({ ranking: order })}>
            {t('questionnaires.fill.rankKeep')}
          </button>
          {ranked && <span role="status">{t('questionnaires.fill.rankDone')}</span>}
        </p>
      </div>
    );
  }
  const text = answer.text ?? '';
  return (
    <div class="field">
      <textarea
        id={`${name}-text`}
        class="qn-textarea"
        aria-labelledby={labelledBy}
        aria-describedby={[`${name}-hint`, describedBy].filter(Boolean).join(' ')}
        maxLength={QUESTIONNAIRE_LIMITS.text}
        value={text}
        onInput={(e) => onChange({ text: e.currentTarget.value })}
      />
      <p id={`${name}-hint`} class="qn-count">
        {t('questionnaires.fill.textHint', { max: QUESTIONNAIRE_LIMITS.text })}{' '}
        {t('questionnaires.fill.chars', { count: text.length, max: QUESTIONNAIRE_LIMITS.text })}
      </p>
    </div>
  );
}

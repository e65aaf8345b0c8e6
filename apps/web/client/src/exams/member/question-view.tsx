import { AuthImage } from '../../components/auth-image.js';
import type { MemberAnswer, PaperQuestion } from '#contracts';
import { useT } from '../../i18n/use-t.js';
import type { SaveStatus } from './answer-sync.js';
import { positionLetter } from './exam-format.js';

/** How long typing pauses before the answer is sent. */
export const TYPING_PAUSE_MS = 800;

interface QuestionViewProps {
  question: PaperQuestion;
  number: number;
  total: number;
  answer: MemberAnswer | null;
  status: SaveStatus | null;
  disabled: boolean;
  onChange(answer: MemberAnswer, debounceMs: number): void;
}

/** One question of the paper: its words, its choices as whole-row targets, and whether its answer is saved. */
export function QuestionView({ question, number, total, answer, status, disabled, onChange }: QuestionViewProps) {
  const { t } = useT();
  const stemId = `q-${question.item}-stem`;
  const headId = `q-${question.item}-head`;
  return (
    <article class="exam-question" aria-labelledby={headId}>
      <h2 id={headId} class="exam-question__head">
        <span class="exam-question__number">{t('examTake.take.question', { n: number, total })}</span>
        <span class="exam-question__kind">
          {t(`examTake.take.kind.${question.kind}`)} · {t('examTake.take.points', { count: question.points })}
        </span>
      </h2>
      <p id={stemId} class="exam-question__stem">
        {question.stem}
      </p>
      {question.imageUrl && (
        <AuthImage class="exam-question__image" src={question.imageUrl} alt={t('examTake.take.imageAlt', { n: number })} />
      )}
      <Answer question={question} answer={answer} disabled={disabled} stemId={stemId} onChange={onChange} />
      <SaveLine status={status} />
    </article>
  );
}

export function SaveLine({ status }: { status: SaveStatus | null }) {
  const { t } = useT();
  return (
    <p class={`exam-save${status ? ` exam-save--${status}` : ''}`} role="status">
      {status && (
        <>
          <span aria-hidden="true">{status === 'saved' ? '✓ ' : status === 'unsaved' ? '⚠ ' : '… '}</span>
          {t(`examTake.take.status.${status}`)}
        </>
      )}
    </p>
  );
}

interface AnswerProps {
  question: PaperQuestion;
  answer: MemberAnswer | null;
  disabled: boolean;
  stemId: string;
  onChange(answer: MemberAnswer, debounceMs: number): void;
}

function Answer({ question, answer, disabled, stemId, onChange }: AnswerProps) {
  const { t } = useT();
  const name = `q-${question.item}`;
  if (question.kind === 'single' || question.kind === 'multiple') {
    const multiple = question.kind === 'multiple';
    const chosen = answer && 'keys' in answer ? answer.keys : [];
    return (
      <fieldset class="exam-options" aria-labelledby={stemId} disabled={disabled}>
        {question.options.map((option, index) => {
          const checked = chosen.includes(option.key);
          return (
            <label key={option.key} class={`exam-option${checked ? ' exam-option--chosen' : ''}`}>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name={name}
                value={option.key}
                checked={checked}
                onChange={() => {
                  const keys = multiple ? (checked ? chosen.filter((k) => k !== option.key) : [...chosen, option.key]) : [option.key];
                  onChange({ keys }, 0);
                }}
              />
              <span class="exam-option__letter" aria-hidden="true">
                {positionLetter(index)}
              </span>
              <span class="exam-option__text">
                <span class="visually-hidden">{positionLetter(index)}. </span>
                {option.text}
              </span>
            </label>
          );
        })}
      </fieldset>
    );
  }
  if (question.kind === 'true_false') {
    const value = answer && 'value' in answer ? answer.value : null;
    return (
      <fieldset class="exam-truefalse" aria-labelledby={stemId} disabled={disabled}>
        {[true, false].map((choice) => (
          <label key={String(choice)} class={`exam-option exam-option--big${value === choice ? ' exam-option--chosen' : ''}`}>
            <input type="radio" name={name} checked={value === choice} onChange={() => onChange({ value: choice }, 0)} />
            <span class="exam-option__mark" aria-hidden="true">
              {choice ? '✓' : '✗'}
            </span>
            <span class="exam-option__text">{t(choice ? 'examTake.take.true' : 'examTake.take.false')}</span>
          </label>
        ))}
      </fieldset>
    );
  }
  if (question.kind === 'fill_blank') {
    const count = Math.max(1, question.blanks);
    const blanks = answer && 'blanks' in answer ? answer.blanks : [];
    return (
      <div class="exam-blanks">
        {Array.from({ length: count }, (_, index) => {
          const id = `${name}-blank-${index}`;
          return (
            <div class="field" key={id}>
              <label for={id}>{t('examTake.take.blank', { n: index + 1 })}</label>
              <input
                id={id}
                type="text"
                class="exam-input"
                value={blanks[index] ?? ''}
                disabled={disabled}
                autoComplete="off"
                onInput={(event) => {
                  const next = Array.from({ length: count }, (_, i) => blanks[i] ?? '');
                  next[index] = (event.currentTarget as HTMLInputElement).value;
                  onChange({ blanks: next }, TYPING_PAUSE_MS);
                }}
              />
            </div>
          );
        })}
      </div>
    );
  }
  const id = `${name}-text`;
  return (
    <div class="field">
      <label for={id}>{t('examTake.take.shortAnswer')}</label>
      <textarea
        id={id}
        class="exam-input exam-textarea"
        rows={6}
        value={answer && 'text' in answer ? answer.text : ''}
        disabled={disabled}
        onInput={(event) => onChange({ text: (event.currentTarget as HTMLTextAreaElement).value }, TYPING_PAUSE_MS)}
      />
    </div>
  );
}

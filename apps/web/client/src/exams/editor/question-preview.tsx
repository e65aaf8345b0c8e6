import type { QuestionAnswerKey, QuestionKind, QuestionOption } from '#contracts';
import { useT } from '../../i18n/use-t.js';
import { AuthImage } from '../../components/auth-image.js';
import { BLANK } from './question-draft.js';
import { kindLabel } from './shared.js';

export interface PreviewQuestion {
  kind: QuestionKind;
  stem: string;
  options: QuestionOption[];
  points: number;
  imageUrl: string | null;
  answer: QuestionAnswerKey | null;
  explanation: string | null;
}

/** The stem with each blank drawn as an empty box, as a member sees it. */
function Stem({ stem, kind }: { stem: string; kind: QuestionKind }) {
  const { t } = useT();
  if (kind !== 'fill_blank') return <p class="qpreview__stem">{stem}</p>;
  const parts = stem.split(BLANK);
  return (
    <p class="qpreview__stem">
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 && (
            <span class="qpreview__blank" role="img" aria-label={t('examEditor.preview.blankBox', { n: index + 1 })}>
              {index + 1}
            </span>
          )}
        </span>
      ))}
    </p>
  );
}

/**
 * A question as a member sees it while sitting (nothing can be chosen here), and with `showAnswer` the
 * answer and the explanation under it.
 */
export function QuestionPreview({ question, showAnswer, number }: { question: PreviewQuestion; showAnswer: boolean; number?: number }) {
  const { t } = useT();
  const { answer } = question;
  const keys = answer && 'keys' in answer ? answer.keys : [];
  const stem = question.stem.trim() || t('examEditor.preview.emptyStem');
  return (
    <div class="qpreview">
      <p class="qpreview__head">
        {number !== undefined && <span class="qpreview__number">{number}.</span>}
        <span>{kindLabel(t, question.kind)}</span>
        <span>{t('examEditor.points', { count: question.points })}</span>
      </p>
      <Stem stem={stem} kind={question.kind} />
      {question.imageUrl && <AuthImage class="qpreview__image" src={question.imageUrl} alt={t('examEditor.question.imageAlt')} />}
      {(question.kind === 'single' || question.kind === 'multiple') && (
        <ul class="qpreview__options">
          {question.options.map((option) => {
            const correct = showAnswer && keys.includes(option.key);
            return (
              <li key={option.key} class={correct ? 'qpreview__option qpreview__option--correct' : 'qpreview__option'}>
                <span class="qpreview__marker" aria-hidden="true">
                  {question.kind === 'single' ? '○' : '□'}
                </span>
                <span>
                  {option.key}. {option.text}
                  {correct && <strong> {t('examEditor.preview.correct')}</strong>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {question.kind === 'true_false' && (
        <ul class="qpreview__options">
          {[true, false].map((value) => {
            const correct = showAnswer && answer !== null && 'value' in answer && answer.value === value;
            return (
              <li key={String(value)} class={correct ? 'qpreview__option qpreview__option--correct' : 'qpreview__option'}>
                <span class="qpreview__marker" aria-hidden="true">
                  ○
                </span>
                <span>
                  {value ? t('examEditor.question.true') : t('examEditor.question.false')}
                  {correct && <strong> {t('examEditor.preview.correct')}</strong>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {question.kind === 'short_answer' && <div class="qpreview__answer-box">{t('examEditor.preview.shortAnswerBox')}</div>}
      {showAnswer && answer && (
        <div class="qpreview__key">
          {'keys' in answer && <p>{t('examEditor.preview.answer', { answer: answer.keys.join('') })}</p>}
          {'blanks' in answer &&
            answer.blanks.map((alternatives, index) => (
              <p key={index}>{t('examEditor.preview.accepted', { n: index + 1, answers: alternatives.join(' / ') })}</p>
            ))}
          {'reference' in answer && answer.reference && <p>{t('examEditor.preview.reference', { text: answer.reference })}</p>}
          {question.explanation && <p>{t('examEditor.preview.explanation', { text: question.explanation })}</p>}
        </div>
      )}
    </div>
  );
}

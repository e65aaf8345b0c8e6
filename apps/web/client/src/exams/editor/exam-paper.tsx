import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { QUESTION_KINDS, type QuestionKind, type QuestionView } from '#contracts';
import { listQuestions } from '../../api/exam-bank.js';
import { useT } from '../../i18n/use-t.js';
import { emptyRule, moved, type PaperItem, type RuleDraft } from './exam-draft.js';
import { kindLabel, problemText, trimmed } from './shared.js';

interface FixedProps {
  items: PaperItem[];
  onChange(items: PaperItem[]): void;
  locked: boolean;
}

/** A fixed paper: its questions in order, each with this paper's points, and the bank to add more from. */
export function FixedPaper({ items, onChange, locked }: FixedProps) {
  const { t } = useT();
  const setPoints = (index: number, points: string) => onChange(items.map((item, i) => (i === index ? { ...item, points } : item)));
  return (
    <>
      <h3>{t('examEditor.exam.fixedItems')}</h3>
      {items.length === 0 && <p class="notice">{t('examEditor.exam.noItems')}</p>}
      <ol class="paper-items">
        {items.map((item, index) => (
          <li key={item.questionId} class="paper-item">
            <p class="paper-item__head">
              <strong>{index + 1}.</strong> {trimmed(item.stem, 140)}{' '}
              <span class="paper-item__meta">
                {item.kind ? kindLabel(t, item.kind) : ''}
                {item.basePoints !== null ? ` · ${t('examEditor.points', { count: item.basePoints })}` : ''}
              </span>
            </p>
            <div class="paper-item__controls">
              <div class="field">
                <label for={`item-points-${index}`}>{t('examEditor.exam.itemPoints')}</label>
                <input
                  id={`item-points-${index}`}
                  type="number"
                  inputMode="decimal"
                  min={0.5}
                  step={0.5}
                  disabled={locked}
                  placeholder={item.basePoints === null ? '' : String(item.basePoints)}
                  aria-describedby={`item-points-hint-${index}`}
                  value={item.points}
                  onInput={(e) => setPoints(index, e.currentTarget.value)}
                />
                <span id={`item-points-hint-${index}`} class="visually-hidden">
                  {t('examEditor.exam.itemPointsHint', { points: item.basePoints ?? '' })}
                </span>
              </div>
              <button
                type="button"
                class="button"
                disabled={locked || index === 0}
                aria-label={t('examEditor.exam.moveUp', { n: index + 1 })}
                onClick={() => onChange(moved(items, index, -1))}
              >
                ↑
              </button>
              <button
                type="button"
                class="button"
                disabled={locked || index === items.length - 1}
                aria-label={t('examEditor.exam.moveDown', { n: index + 1 })}
                onClick={() => onChange(moved(items, index, 1))}
              >
                ↓
              </button>
              <button
                type="button"
                class="button button--danger"
                disabled={locked}
                aria-label={t('examEditor.exam.remove', { n: index + 1 })}
                onClick={() => onChange(items.filter((_, i) => i !== index))}
              >
                {t('examEditor.exam.removeShort')}
              </button>
            </div>
          </li>
        ))}
      </ol>
      {!locked && (
        <BankPicker
          chosen={items.map((item) => item.questionId)}
          onAdd={(question) =>
            onChange([
              ...items,
              { questionId: question.id, kind: question.kind, stem: question.stem, basePoints: question.points, points: '' },
            ])
          }
        />
      )}
    </>
  );
}

/** Finds questions in the bank by their words to put on the paper. */
function BankPicker({ chosen, onAdd }: { chosen: string[]; onAdd(question: QuestionView): void }) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<QuestionView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const search = async (event?: TargetedSubmitEvent<HTMLFormElement>) => {
    event?.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      setResults((await listQuestions({ q: q.trim(), limit: 20 })).items);
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="bank-picker panel panel--inner">
      <h3>{t('examEditor.exam.findQuestions')}</h3>
      {/* A form inside the exam's form is not allowed, so the search runs from its button and Enter. */}
      <div class="field">
        <label for="bank-picker-q">{t('examEditor.exam.findLabel')}</label>
        <div class="search__row">
          <input
            id="bank-picker-q"
            type="search"
            autocomplete="off"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void search();
              }
            }}
          />
          <button type="button" class="button" aria-disabled={busy} onClick={() => void search()}>
            {t('examEditor.exam.find')}
          </button>
        </div>
      </div>
      {problem && <p class="field__error">{problem}</p>}
      {results && results.length === 0 && <p class="hint">{t('examEditor.exam.noMatches')}</p>}
      {results && results.length > 0 && (
        <ul class="bank-picker__results">
          {results.map((question) => {
            const stem = trimmed(question.stem, 100);
            const on = chosen.includes(question.id);
            return (
              <li key={question.id} class="bank-picker__result">
                <span class="bank-picker__text">
                  {stem}{' '}
                  <span class="paper-item__meta">
                    {kindLabel(t, question.kind)} · {t('examEditor.points', { count: question.points })}
                    {question.topic ? ` · ${question.topic}` : ''}
                  </span>
                </span>
                <button
                  type="button"
                  class="button"
                  disabled={on}
                  aria-label={on ? undefined : t('examEditor.exam.addNamed', { stem })}
                  onClick={() => onAdd(question)}
                >
                  {on ? t('examEditor.exam.added') : t('examEditor.exam.add')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

interface RulesProps {
  rules: RuleDraft[];
  topics: string[];
  onChange(rules: RuleDraft[]): void;
  locked: boolean;
  invalid: boolean;
}

/** A drawn paper: rows of "how many of which kind, topic and difficulty, at how many points each". */
export function DrawRules({ rules, topics, onChange, locked, invalid }: RulesProps) {
  const { t } = useT();
  const set = (index: number, changes: Partial<RuleDraft>) =>
    onChange(rules.map((rule, i) => (i === index ? { ...rule, ...changes } : rule)));
  return (
    <>
      <h3>{t('examEditor.exam.rules')}</h3>
      <p class="hint">{t('examEditor.exam.rulesIntro')}</p>
      <datalist id="rule-topics">
        {topics.map((topic) => (
          <option key={topic} value={topic} />
        ))}
      </datalist>
      {rules.map((rule, index) => (
        <fieldset key={index} class="choices draw-rule" disabled={locked}>
          <legend>{t('examEditor.exam.rule', { n: index + 1 })}</legend>
          <div class="field-row">
            <div class="field">
              <label for={`rule-kind-${index}`}>{t('examEditor.exam.ruleKind')}</label>
              <select
                id={`rule-kind-${index}`}
                value={rule.kind}
                onChange={(e) => set(index, { kind: e.currentTarget.value as QuestionKind })}
              >
                {QUESTION_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {kindLabel(t, kind)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`rule-topic-${index}`}>{t('examEditor.exam.ruleTopic')}</label>
              <input
                id={`rule-topic-${index}`}
                type="text"
                list="rule-topics"
                autocomplete="off"
                value={rule.topic}
                onInput={(e) => set(index, { topic: e.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for={`rule-difficulty-${index}`}>{t('examEditor.exam.ruleDifficulty')}</label>
              <select
                id={`rule-difficulty-${index}`}
                value={rule.difficulty}
                onChange={(e) => set(index, { difficulty: e.currentTarget.value })}
              >
                <option value="">{t('examEditor.exam.ruleAny')}</option>
                {([1, 2, 3, 4, 5] as const).map((n) => (
                  <option key={n} value={String(n)}>
                    {t('examEditor.question.difficultyLevel', { n, word: t(`examEditor.question.difficultyWords.d${n}`) })}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`rule-count-${index}`}>{t('examEditor.exam.ruleCount')}</label>
              <input
                id={`rule-count-${index}`}
                type="number"
                inputMode="numeric"
                min={1}
                step={1}
                aria-invalid={invalid && !/^\d+$/.test(rule.count.trim())}
                value={rule.count}
                onInput={(e) => set(index, { count: e.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for={`rule-points-${index}`}>{t('examEditor.exam.rulePoints')}</label>
              <input
                id={`rule-points-${index}`}
                type="number"
                inputMode="decimal"
                min={0.5}
                step={0.5}
                aria-describedby="rule-points-hint"
                value={rule.points}
                onInput={(e) => set(index, { points: e.currentTarget.value })}
              />
            </div>
          </div>
          {rules.length > 1 && (
            <p class="actions actions--compact">
              <button type="button" class="button button--danger" onClick={() => onChange(rules.filter((_, i) => i !== index))}>
                {t('examEditor.exam.removeRule', { n: index + 1 })}
              </button>
            </p>
          )}
        </fieldset>
      ))}
      <p id="rule-points-hint" class="hint">
        {t('examEditor.exam.rulePointsHint')}
      </p>
      {!locked && (
        <p class="actions">
          <button type="button" class="button" onClick={() => onChange([...rules, emptyRule()])}>
            {t('examEditor.exam.addRule')}
          </button>
        </p>
      )}
    </>
  );
}

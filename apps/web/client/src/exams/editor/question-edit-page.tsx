import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { QUESTION_KINDS, type QuestionKind, type QuestionView } from '#contracts';
import {
  createQuestion,
  getQuestion,
  IMAGE_MAX_BYTES,
  IMAGE_TYPES,
  examImageUrl,
  listTopics,
  updateQuestion,
  uploadExamImage,
} from '../../api/exam-bank.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { FileButton } from '../../components/file-button.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import {
  addOption,
  blankCount,
  blanksFor,
  checkDraft,
  draftOf,
  emptyDraft,
  inputOf,
  markCorrect,
  MIN_OPTIONS,
  OPTION_KEYS,
  removeOption,
  withKind,
  type QuestionDraft,
  type QuestionField,
} from './question-draft.js';
import { AuthImage } from '../../components/auth-image.js';
import { EditorLoading, fieldNotes } from './form-notes.js';
import { QuestionPreview } from './question-preview.js';
import { bankPaths, kindLabel, problemText } from './shared.js';

/** A new question, or one of the bank's, with a preview of how a member sees it. */
export function QuestionEditPage({ questionId }: { questionId?: string }) {
  const { t } = useT();
  const loaded = useResource<QuestionView | null>(() => (questionId ? getQuestion(questionId) : Promise.resolve(null)), [questionId]);
  if (questionId && !loaded.data) {
    return <EditorLoading title={t('examEditor.question.editTitle')} error={loaded.error} loading={loaded.loading} />;
  }
  return <QuestionForm key={loaded.data?.id ?? 'new'} original={loaded.data} />;
}

function QuestionForm({ original }: { original: QuestionView | null }) {
  const { t } = useT();
  const [draft, setDraft] = useState<QuestionDraft>(() => (original ? draftOf(original) : emptyDraft()));
  const [savedId, setSavedId] = useState<string | null>(original?.id ?? null);
  const [invalid, setInvalid] = useState<Partial<Record<QuestionField, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [showAnswer, setShowAnswer] = useState(false);
  const topics = useResource(listTopics, []);
  const stemRef = useRef<HTMLTextAreaElement>(null);
  const pointsRef = useRef<HTMLInputElement>(null);
  const optionsRef = useRef<HTMLFieldSetElement>(null);
  const correctRef = useRef<HTMLFieldSetElement>(null);
  const blanksRef = useRef<HTMLFieldSetElement>(null);

  const wordsOf = (found: ReturnType<typeof checkDraft>) =>
    Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(`examEditor.question.${key}`)]));
  const change = (next: QuestionDraft) => {
    setDraft(next);
    setStatus(null);
    // Once the notes in red are shown, they follow the changes: a fixed field loses its note.
    if (Object.keys(invalid).length > 0) {
      const found = checkDraft(next);
      const still = Object.fromEntries(Object.entries(wordsOf(found)).filter(([field]) => field in invalid));
      setInvalid(still);
      if (Object.keys(still).length === 0) setProblem(null);
    }
  };
  const set = (changes: Partial<QuestionDraft>) => change({ ...draft, ...changes });
  const blanks = blanksFor(draft);
  const choice = draft.kind === 'single' || draft.kind === 'multiple';
  const input = inputOf(draft);

  const { errorOf, described } = fieldNotes('q', invalid);

  const pickImage = async (file: File) => {
    setProblem(null);
    if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) return setProblem(t('examEditor.question.imageWrongType'));
    if (file.size > IMAGE_MAX_BYTES) return setProblem(t('examEditor.question.imageTooBig'));
    setUploading(true);
    try {
      const { id } = await uploadExamImage(file);
      set({ imageId: id, imageUrl: examImageUrl(id) });
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setUploading(false);
    }
  };

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found = checkDraft(draft);
    setInvalid(wordsOf(found));
    setStatus(null);
    if (Object.keys(found).length > 0) {
      setProblem(t('examEditor.fixErrors'));
      const first = (['stem', 'options', 'correct', 'blanks', 'points'] as const).find((field) => found[field]);
      const target = { stem: stemRef, options: optionsRef, correct: correctRef, blanks: blanksRef, points: pointsRef }[first!];
      target.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const saved = savedId ? await updateQuestion(savedId, inputOf(draft)) : await createQuestion(inputOf(draft));
      setStatus(savedId ? t('examEditor.question.saved') : t('examEditor.question.created'));
      setSavedId(saved.id);
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const another = () => {
    setDraft({ ...emptyDraft(draft.kind), topic: draft.topic, difficulty: draft.difficulty, points: draft.points });
    setSavedId(null);
    setInvalid({});
    setStatus(null);
    setProblem(null);
    stemRef.current?.focus();
  };

  const title = savedId ? t('examEditor.question.editTitle') : t('examEditor.question.newTitle');
  return (
    <>
      <Breadcrumb
        trail={[
          { href: '/studio', label: t('studio.title') },
          { href: bankPaths.bank, label: t('examEditor.bank.title') },
        ]}
        current={title}
      />
      <Page title={title}>
        {original?.retiredAt && <p class="notice">{t('examEditor.question.retiredNote')}</p>}
        {original && original.usedBy > 0 && <p class="notice">{t('examEditor.question.usedNote', { count: original.usedBy })}</p>}
        <div class="qedit">
          <form class="form qedit__form" noValidate aria-busy={busy} onSubmit={submit}>
            <Alert message={problem} />
            <fieldset class="choices">
              <legend>{t('examEditor.question.kind')}</legend>
              <div class="kind-picker">
                {QUESTION_KINDS.map((kind: QuestionKind) => (
                  <label key={kind} class="choice kind-picker__choice">
                    <input type="radio" name="kind" checked={draft.kind === kind} onChange={() => change(withKind(draft, kind))} />
                    {kindLabel(t, kind)}
                  </label>
                ))}
              </div>
            </fieldset>

            <div class="field">
              <label for="q-stem">{t('examEditor.question.stem')}</label>
              <textarea
                ref={stemRef}
                id="q-stem"
                rows={4}
                maxLength={4000}
                aria-invalid={!!invalid.stem}
                aria-describedby={described('stem', draft.kind === 'fill_blank' ? 'q-stem-hint' : '')}
                value={draft.stem}
                onInput={(e) => set({ stem: e.currentTarget.value })}
              />
              {draft.kind === 'fill_blank' && (
                <p id="q-stem-hint" class="hint">
                  {t('examEditor.question.blankHint')}{' '}
                  {blankCount(draft.stem) > 0
                    ? t('examEditor.question.blanksFound', { count: blankCount(draft.stem) })
                    : t('examEditor.question.noBlanks')}
                </p>
              )}
              {errorOf('stem')}
            </div>

            {choice && (
              <fieldset ref={optionsRef} class="choices" tabIndex={-1} aria-describedby={described('options')}>
                <legend>{t('examEditor.question.options')}</legend>
                {errorOf('options')}
                <fieldset ref={correctRef} class="qedit__correct" tabIndex={-1} aria-describedby={described('correct')}>
                  <legend class="qedit__correct-legend">
                    {draft.kind === 'single' ? t('examEditor.question.correctSingle') : t('examEditor.question.correctMultiple')}
                  </legend>
                  {errorOf('correct')}
                  <ol class="option-list">
                    {draft.options.map((option) => (
                      <li key={option.key} class="option-row">
                        <label class="option-row__correct">
                          <input
                            type={draft.kind === 'single' ? 'radio' : 'checkbox'}
                            name="correct"
                            checked={draft.correct.includes(option.key)}
                            aria-label={t('examEditor.question.correctIs', { key: option.key })}
                            onChange={(e) => change(markCorrect(draft, option.key, e.currentTarget.checked))}
                          />
                          <span aria-hidden="true">{option.key}</span>
                        </label>
                        <input
                          type="text"
                          class="option-row__text"
                          maxLength={1000}
                          aria-label={t('examEditor.question.optionLabel', { key: option.key })}
                          aria-invalid={!!invalid.options && !option.text.trim()}
                          value={option.text}
                          onInput={(e) => {
                            const text = e.currentTarget.value;
                            set({ options: draft.options.map((o) => (o.key === option.key ? { ...o, text } : o)) });
                          }}
                        />
                        <button
                          type="button"
                          class="button button--quiet option-row__remove"
                          disabled={draft.options.length <= MIN_OPTIONS}
                          aria-label={t('examEditor.question.removeOption', { key: option.key })}
                          onClick={() => change(removeOption(draft, option.key))}
                        >
                          ✕
                        </button>
                      </li>
                    ))}
                  </ol>
                </fieldset>
                {draft.options.length < OPTION_KEYS.length && (
                  <p class="actions">
                    <button type="button" class="button" onClick={() => change(addOption(draft))}>
                      {t('examEditor.question.addOption')}
                    </button>
                  </p>
                )}
              </fieldset>
            )}

            {draft.kind === 'true_false' && (
              <fieldset ref={correctRef} class="choices" tabIndex={-1} aria-describedby={described('correct')}>
                <legend>{t('examEditor.question.truth')}</legend>
                {errorOf('correct')}
                {[true, false].map((value) => (
                  <label key={String(value)} class="choice">
                    <input type="radio" name="truth" checked={draft.truth === value} onChange={() => set({ truth: value })} />
                    {value ? t('examEditor.question.true') : t('examEditor.question.false')}
                  </label>
                ))}
              </fieldset>
            )}

            {draft.kind === 'fill_blank' && (
              <fieldset ref={blanksRef} class="choices" tabIndex={-1} aria-describedby={described('blanks', 'q-blanks-hint')}>
                <legend>{t('examEditor.question.blanks')}</legend>
                <p id="q-blanks-hint" class="hint">
                  {t('examEditor.question.blankHintAlternatives')}
                </p>
                {errorOf('blanks')}
                {blanks.map((text, index) => (
                  <div key={index} class="field">
                    <label for={`q-blank-${index}`}>{t('examEditor.question.blankLabel', { n: index + 1 })}</label>
                    <textarea
                      id={`q-blank-${index}`}
                      rows={2}
                      aria-invalid={!!invalid.blanks && !text.trim()}
                      value={text}
                      onInput={(e) => {
                        const next = [...blanks];
                        next[index] = e.currentTarget.value;
                        set({ blanks: next });
                      }}
                    />
                  </div>
                ))}
              </fieldset>
            )}

            {draft.kind === 'short_answer' && (
              <div class="field">
                <label for="q-reference">{t('examEditor.question.reference')}</label>
                <textarea
                  id="q-reference"
                  rows={3}
                  aria-describedby="q-reference-hint"
                  value={draft.reference}
                  onInput={(e) => set({ reference: e.currentTarget.value })}
                />
                <p id="q-reference-hint" class="hint">
                  {t('examEditor.question.referenceHint')}
                </p>
              </div>
            )}

            <div class="field-row">
              <div class="field">
                <label for="q-points">{t('examEditor.question.points')}</label>
                <input
                  ref={pointsRef}
                  id="q-points"
                  type="number"
                  inputMode="decimal"
                  min={0.5}
                  step={0.5}
                  aria-invalid={!!invalid.points}
                  aria-describedby={described('points')}
                  value={draft.points}
                  onInput={(e) => set({ points: e.currentTarget.value })}
                />
                {errorOf('points')}
              </div>
              <div class="field">
                <label for="q-difficulty">{t('examEditor.question.difficulty')}</label>
                <select id="q-difficulty" value={draft.difficulty} onChange={(e) => set({ difficulty: e.currentTarget.value })}>
                  <option value="">{t('examEditor.question.difficultyNone')}</option>
                  {([1, 2, 3, 4, 5] as const).map((n) => (
                    <option key={n} value={String(n)}>
                      {t('examEditor.question.difficultyLevel', { n, word: t(`examEditor.question.difficultyWords.d${n}`) })}
                    </option>
                  ))}
                </select>
              </div>
            </div>

            <div class="field">
              <label for="q-topic">{t('examEditor.question.topic')}</label>
              <input
                id="q-topic"
                type="text"
                list="q-topics"
                maxLength={100}
                autocomplete="off"
                aria-describedby="q-topic-hint"
                value={draft.topic}
                onInput={(e) => set({ topic: e.currentTarget.value })}
              />
              <datalist id="q-topics">
                {(topics.data ?? []).map((topic) => (
                  <option key={topic} value={topic} />
                ))}
              </datalist>
              <p id="q-topic-hint" class="hint">
                {t('examEditor.question.topicHint')}
              </p>
            </div>

            <div class="field">
              <label for="q-tags">{t('examEditor.question.tags')}</label>
              <input
                id="q-tags"
                type="text"
                maxLength={500}
                aria-describedby="q-tags-hint"
                value={draft.tags}
                onInput={(e) => set({ tags: e.currentTarget.value })}
              />
              <p id="q-tags-hint" class="hint">
                {t('examEditor.question.tagsHint')}
              </p>
            </div>

            <div class="field">
              <label for="q-explanation">{t('examEditor.question.explanation')}</label>
              <textarea
                id="q-explanation"
                rows={3}
                maxLength={4000}
                value={draft.explanation}
                onInput={(e) => set({ explanation: e.currentTarget.value })}
              />
            </div>

            <fieldset class="choices">
              <legend>{t('examEditor.question.image')}</legend>
              <p id="q-image-hint" class="hint">
                {t('examEditor.question.imageHint')}
              </p>
              {draft.imageUrl && <AuthImage class="qedit__image" src={draft.imageUrl} alt={t('examEditor.question.imageAlt')} />}
              <p class="actions">
                <FileButton
                  label={draft.imageId ? t('examEditor.question.imageReplace') : t('examEditor.question.imagePick')}
                  accept={IMAGE_TYPES.join(',')}
                  describedBy="q-image-hint"
                  onFile={(file) => void pickImage(file)}
                />
                {draft.imageId && (
                  <button type="button" class="button button--quiet" onClick={() => set({ imageId: null, imageUrl: null })}>
                    {t('examEditor.question.imageRemove')}
                  </button>
                )}
              </p>
              {uploading && (
                <p class="status" role="status">
                  {t('examEditor.question.imageUploading')}
                </p>
              )}
            </fieldset>

            <div class="actions">
              <button type="submit" class="button button--primary button--big" aria-disabled={busy || uploading}>
                {busy ? t('examEditor.question.saving') : t('examEditor.question.save')}
              </button>
              <Link href={bankPaths.bank} class="button button--big">
                {t('examEditor.question.backToBank')}
              </Link>
            </div>
            <p class="status qedit__status" role="status">
              {status}
            </p>
            {status && (
              <p class="actions">
                <button type="button" class="button" onClick={another}>
                  {t('examEditor.question.newAnother')}
                </button>
              </p>
            )}
          </form>

          <section class="panel qedit__preview" aria-labelledby="q-preview-title">
            <h2 id="q-preview-title">{t('examEditor.preview.title')}</h2>
            <p class="hint">{t('examEditor.preview.intro')}</p>
            <label class="choice">
              <input type="checkbox" checked={showAnswer} onChange={(e) => setShowAnswer(e.currentTarget.checked)} />
              {t('examEditor.preview.showAnswer')}
            </label>
            <QuestionPreview
              question={{ ...input, points: Number.isFinite(input.points) ? input.points : 0, imageUrl: draft.imageUrl }}
              showAnswer={showAnswer}
            />
          </section>
        </div>
      </Page>
    </>
  );
}

import type { TargetedSubmitEvent } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import type { LectureInput } from '../api/types.js';
import { useT } from '../i18n/use-t.js';
import { ProblemAlert, problemOf, type Problem } from './problem.js';

interface LectureFormProps {
  initial: LectureInput;
  submitLabel: string;
  onSubmit(input: LectureInput): Promise<void>;
  onCancel(): void;
}

export function LectureForm({ initial, submitLabel, onSubmit, onCancel }: LectureFormProps) {
  const { t } = useT();
  const id = useId();
  const [input, setInput] = useState(initial);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [missingTitle, setMissingTitle] = useState(false);
  const [busy, setBusy] = useState(false);
  const titleInput = useRef<HTMLInputElement>(null);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const cleaned = { title: input.title.trim(), speaker: input.speaker.trim(), description: input.description.trim() };
    setMissingTitle(!cleaned.title);
    if (!cleaned.title) {
      setProblem({ key: 'editor.lectureTitleRequired', detail: null });
      titleInput.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit(cleaned);
    } catch (failure) {
      setProblem(problemOf(failure));
      setBusy(false);
    }
  };

  return (
    <form class="form form--compact" noValidate aria-busy={busy} onSubmit={submit}>
      <ProblemAlert problem={problem} />
      <div class="field">
        <label for={`${id}-title`}>{t('editor.lectureTitle')}</label>
        <input
          ref={titleInput}
          id={`${id}-title`}
          type="text"
          required
          maxLength={200}
          aria-invalid={missingTitle}
          value={input.title}
          onInput={(e) => setInput({ ...input, title: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={`${id}-speaker`}>{t('editor.speaker')}</label>
        <input
          id={`${id}-speaker`}
          type="text"
          maxLength={200}
          value={input.speaker}
          onInput={(e) => setInput({ ...input, speaker: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={`${id}-description`}>{t('editor.lectureDescription')}</label>
        <textarea
          id={`${id}-description`}
          rows={3}
          maxLength={5000}
          value={input.description}
          onInput={(e) => setInput({ ...input, description: e.currentTarget.value })}
        />
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary" aria-disabled={busy}>
          {busy ? t('common.saving') : submitLabel}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import type { ErrorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';

/**
 * A form's notes in red, one a field: `errorOf(field)` is the note under the field, `described(field, …more)`
 * the field's aria-describedby (its note, when shown, then the ids of its hints).
 */
export function fieldNotes<F extends string>(prefix: string, invalid: Partial<Record<F, string>>) {
  const noteId = (field: F) => `${prefix}-${field}-error`;
  return {
    errorOf: (field: F) =>
      invalid[field] ? (
        <p id={noteId(field)} class="field__error">
          {invalid[field]}
        </p>
      ) : null,
    described: (field: F, ...more: string[]) => [invalid[field] ? noteId(field) : '', ...more].filter(Boolean).join(' ') || undefined,
  };
}

/** The page of an editor while what it edits is read, or why it could not be. */
export function EditorLoading({ title, error, loading }: { title: string; error: ErrorKey | null; loading: boolean }) {
  const { t } = useT();
  return (
    <Page title={title}>
      <Alert message={error && t(error)} />
      {loading && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
    </Page>
  );
}

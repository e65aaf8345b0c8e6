import type { RefObject, TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { changeOwnPassword } from '../api/members.js';
import { mustChangePassword, useSession } from '../auth/session.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { navigate } from '../router/router.js';
import { homePathFor } from '../router/routes.js';

type PasswordError = keyof typeof import('../i18n/org/members.js').zh.password.errors;
type Field = 'current' | 'next' | 'repeat';

/** What is wrong with the form before asking the server, and on which field; null when it can be sent. */
export function passwordFormProblem(current: string, next: string, repeat: string): { field: Field; error: PasswordError } | null {
  if (current === '') return { field: 'current', error: 'currentRequired' };
  if (next.length < 8) return { field: 'next', error: 'newTooShort' };
  if (next.length > 200) return { field: 'next', error: 'newTooLong' };
  if (next === current) return { field: 'next', error: 'sameAsCurrent' };
  if (repeat !== next) return { field: 'repeat', error: 'mismatch' };
  return null;
}

/** Choosing a new password: required after an administrator's reset, open to anyone signed in. */
export function ChangePasswordPage() {
  const { t } = useT();
  const session = useSession();
  const forced = mustChangePassword(session.user);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<Field | null>(null);
  const [error, setError] = useState<PasswordError | ErrorKey | null>(null);
  const [changed, setChanged] = useState(false);
  const inputs = { current: useRef<HTMLInputElement>(null), next: useRef<HTMLInputElement>(null), repeat: useRef<HTMLInputElement>(null) };

  const fail = (field: Field, problem: PasswordError) => {
    setInvalid(field);
    setError(problem);
    inputs[field].current?.focus();
  };

  const onSubmit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setChanged(false);
    const problem = passwordFormProblem(current, next, repeat);
    if (problem) return fail(problem.field, problem.error);
    setInvalid(null);
    setError(null);
    setBusy(true);
    try {
      const user = await changeOwnPassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setChanged(true);
      session.passwordChanged(user);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 400) {
        setCurrent('');
        fail('current', 'wrongCurrent');
      } else if (failure instanceof ApiError && failure.status === 429) {
        setError('tooManyAttempts');
      } else {
        setError(errorKey(failure));
      }
    } finally {
      setBusy(false);
    }
  };

  const message = error && (error.startsWith('errors.') ? t(error as ErrorKey) : t(`orgMembers.password.errors.${error as PasswordError}`));
  const type = (show ? 'text' : 'password') as 'password';
  const describedBy = (field: Field) => (invalid === field ? 'password-error' : undefined);

  return (
    <Page title={t('orgMembers.password.title')}>
      <p class="lead">{forced ? t('orgMembers.password.forcedIntro') : t('orgMembers.password.intro')}</p>
      <div id="password-error">
        <Alert message={message} />
      </div>
      <p class="status" role="status">
        {changed ? t('orgMembers.password.changed') : ''}
      </p>
      {changed && (
        <p>
          <button type="button" class="button button--primary" onClick={() => navigate(homePathFor(session.user.role))}>
            {t('orgMembers.password.continue')}
          </button>
        </p>
      )}
      <form class="form password-form" noValidate aria-busy={busy} onSubmit={onSubmit}>
        <PasswordField
          inputRef={inputs.current}
          id="current-password"
          label={t('orgMembers.password.current')}
          type={type}
          autocomplete="current-password"
          invalid={invalid === 'current'}
          describedBy={describedBy('current')}
          value={current}
          onInput={setCurrent}
        />
        <PasswordField
          inputRef={inputs.next}
          id="new-password"
          label={t('orgMembers.password.new')}
          type={type}
          autocomplete="new-password"
          minLength={8}
          invalid={invalid === 'next'}
          describedBy={describedBy('next') ?? 'new-password-hint'}
          hint={t('orgMembers.password.newHint')}
          value={next}
          onInput={setNext}
        />
        <PasswordField
          inputRef={inputs.repeat}
          id="repeat-password"
          label={t('orgMembers.password.repeat')}
          type={type}
          autocomplete="new-password"
          invalid={invalid === 'repeat'}
          describedBy={describedBy('repeat')}
          value={repeat}
          onInput={setRepeat}
        />
        <div class="checkbox">
          <input id="show-passwords" type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} />
          <label for="show-passwords">{t('orgMembers.password.show')}</label>
        </div>
        <button type="submit" class="button button--primary button--wide" aria-disabled={busy}>
          {busy ? t('orgMembers.password.submitting') : t('orgMembers.password.submit')}
        </button>
      </form>
    </Page>
  );
}

interface PasswordFieldProps {
  inputRef: RefObject<HTMLInputElement | null>;
  id: string;
  label: string;
  /** 'text' while the reader asked to see what they type. */
  type: 'password';
  autocomplete: 'current-password' | 'new-password';
  minLength?: number;
  invalid: boolean;
  describedBy: string | undefined;
  /** A standing hint under the field, read as `${id}-hint`. */
  hint?: string;
  value: string;
  onInput(value: string): void;
}

/** One password input with its label (and hint): the three of the form differ only in these. */
function PasswordField({
  inputRef,
  id,
  label,
  type,
  autocomplete,
  minLength,
  invalid,
  describedBy,
  hint,
  value,
  onInput,
}: PasswordFieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        ref={inputRef}
        id={id}
        type={type}
        autocomplete={autocomplete}
        autocapitalize="none"
        spellcheck={false}
        required
        minLength={minLength}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

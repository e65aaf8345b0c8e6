import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { login } from '../api/endpoints.js';
import { clearToken, saveToken } from '../api/token.js';
import type { User } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';

type LoginErrorKey = ErrorKey | 'login.badCredentials' | 'login.missingFields' | 'login.tooManyAttempts';

interface LoginPageProps {
  /** Shown until the user tries again, e.g. after the session expired. */
  initialError: ErrorKey | null;
  onSignedIn(user: User): void;
}

export function LoginPage({ initialError, onSignedIn }: LoginPageProps) {
  const { t } = useT();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LoginErrorKey | null>(initialError);
  /** Whole minutes to wait, when the server locked sign-in after too many failures. */
  const [waitMinutes, setWaitMinutes] = useState(0);
  const [invalid, setInvalid] = useState({ login: false, password: false });
  const loginInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const missing = { login: loginName.trim() === '', password: password === '' };
    setInvalid(missing);
    if (missing.login || missing.password) {
      setError('login.missingFields');
      (missing.login ? loginInput : passwordInput).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    clearToken();
    try {
      const answer = await login(loginName.trim(), password);
      saveToken(answer.accessToken);
      onSignedIn({ ...answer.user, mustChangePassword: answer.mustChangePassword === true || answer.user.mustChangePassword === true });
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.status === 401) {
        setError('login.badCredentials');
        setPassword('');
        passwordInput.current?.focus();
      } else if (failure instanceof ApiError && failure.status === 429 && failure.retryAfterSeconds !== null) {
        setWaitMinutes(Math.max(1, Math.ceil(failure.retryAfterSeconds / 60)));
        setError('login.tooManyAttempts');
        setPassword('');
      } else {
        setError(errorKey(failure));
      }
    }
  };

  return (
    <Page title={t('login.title')}>
      <p>{t('login.intro')}</p>
      <Alert message={error && (error === 'login.tooManyAttempts' ? t(error, { count: waitMinutes }) : t(error))} />
      <form class="form" noValidate aria-busy={busy} onSubmit={onSubmit}>
        <div class="field">
          <label for="login">{t('login.username')}</label>
          <input
            ref={loginInput}
            id="login"
            name="login"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            aria-invalid={invalid.login}
            value={loginName}
            onInput={(e) => setLoginName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="password">{t('login.password')}</label>
          <input
            ref={passwordInput}
            id="password"
            name="password"
            // Preact's typings only accept a single literal input type here.
            type={(showPassword ? 'text' : 'password') as 'password'}
            autocomplete="current-password"
            required
            aria-invalid={invalid.password}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <div class="checkbox">
          <input id="show-password" type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.currentTarget.checked)} />
          <label for="show-password">{t('login.showPassword')}</label>
        </div>
        {/* aria-disabled rather than disabled keeps keyboard focus on the button while waiting. */}
        <button type="submit" class="button button--primary button--wide" aria-disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </Page>
  );
}

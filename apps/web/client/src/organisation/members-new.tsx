import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { createMember, type MemberDetail } from '../api/members.js';
import type { MemberCategory, OrgUnitNode, Role } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { Alert } from '../components/alert.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { NamedSelect, RoleSelect } from './fields.js';

type NewMemberError = keyof typeof import('../i18n/org/members.js').zh.errors;
type Field = 'login' | 'name' | 'unit';

const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** What is wrong with a new member's fields, field by field; empty when the form can be sent. */
export function newMemberProblems(input: { login: string; name: string; orgUnitId: string }): Partial<Record<Field, NewMemberError>> {
  const problems: Partial<Record<Field, NewMemberError>> = {};
  const login = input.login.trim().toLowerCase();
  if (!login) problems.login = 'loginRequired';
  else if (!LOGIN_PATTERN.test(login)) problems.login = 'loginInvalid';
  if (!input.name.trim()) problems.name = 'nameRequired';
  else if (input.name.trim().length > 100) problems.name = 'nameTooLong';
  if (!input.orgUnitId) problems.unit = 'unitRequired';
  return problems;
}

interface NewMemberFormProps {
  units: OrgUnitNode[];
  categories: MemberCategory[];
  defaultUnitId: string;
  onCancel(): void;
  onCreated(member: MemberDetail): void;
}

/** Adds one person to a unit of the admin's subtree; committee admins may also create staff accounts. */
export function NewMemberForm({ units, categories, defaultUnitId, onCancel, onCreated }: NewMemberFormProps) {
  const { t } = useT();
  const { user } = useSession();
  const committee = !(user.orgUnit?.path ?? '').includes('/');
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [orgUnitId, setOrgUnitId] = useState(defaultUnitId || units[units.length > 1 ? 1 : 0]?.id || '');
  const [category, setCategory] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [problems, setProblems] = useState<Partial<Record<Field, NewMemberError>>>({});
  const [error, setError] = useState<NewMemberError | ErrorKey | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = { login: useRef<HTMLInputElement>(null), name: useRef<HTMLInputElement>(null), unit: useRef<HTMLSelectElement>(null) };
  const topDepth = units[0]?.depth ?? 0;

  const onSubmit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found = newMemberProblems({ login, name, orgUnitId });
    setProblems(found);
    const first = (['login', 'name', 'unit'] as const).find((f) => found[f]);
    if (first) {
      setError('fixErrors');
      fields[first].current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const member = await createMember({
        login: login.trim().toLowerCase(),
        name: name.trim(),
        orgUnitId,
        category: category || null,
        ...(committee ? { role } : {}),
      });
      onCreated(member);
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.status === 409) {
        setProblems({ login: 'loginTaken' });
        setError('loginTaken');
        fields.login.current?.focus();
      } else setError(errorKey(failure));
    }
  };

  const message = error && (error.startsWith('errors.') ? t(error as ErrorKey) : t(`orgMembers.errors.${error as NewMemberError}`));
  const fieldError = (field: Field) =>
    problems[field] ? (
      <p id={`new-member-${field}-error`} class="field__error">
        {t(`orgMembers.errors.${problems[field]!}`)}
      </p>
    ) : null;

  return (
    <section class="member-new" aria-labelledby="new-member-title">
      <h2 id="new-member-title">{t('orgMembers.newMember')}</h2>
      <p class="hint">{t('orgMembers.newMemberHint')}</p>
      <Alert message={message} />
      <form class="form" noValidate aria-busy={busy} onSubmit={onSubmit}>
        <div class="field-row">
          <div class="field">
            <label for="new-member-login">{t('orgMembers.login')}</label>
            <input
              ref={fields.login}
              id="new-member-login"
              type="text"
              autocomplete="off"
              autocapitalize="none"
              spellcheck={false}
              maxLength={64}
              required
              aria-invalid={Boolean(problems.login)}
              aria-describedby={problems.login ? 'new-member-login-error' : 'new-member-login-hint'}
              value={login}
              onInput={(e) => setLogin(e.currentTarget.value)}
            />
            <p id="new-member-login-hint" class="hint">
              {t('orgMembers.loginHint')}
            </p>
            {fieldError('login')}
          </div>
          <div class="field">
            <label for="new-member-name">{t('orgMembers.name')}</label>
            <input
              ref={fields.name}
              id="new-member-name"
              type="text"
              autocomplete="off"
              maxLength={100}
              required
              aria-invalid={Boolean(problems.name)}
              aria-describedby={problems.name ? 'new-member-name-error' : undefined}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            {fieldError('name')}
          </div>
        </div>
        <div class="field-row">
          <div class="field">
            <label for="new-member-unit">{t('orgMembers.unit')}</label>
            <select
              ref={fields.unit}
              id="new-member-unit"
              required
              aria-invalid={Boolean(problems.unit)}
              aria-describedby={problems.unit ? 'new-member-unit-error' : undefined}
              value={orgUnitId}
              onChange={(e) => setOrgUnitId(e.currentTarget.value)}
            >
              <option value="">—</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {`${'\u3000'.repeat(Math.max(0, u.depth - topDepth))}${u.name}`}
                </option>
              ))}
            </select>
            {fieldError('unit')}
          </div>
          <NamedSelect
            id="new-member-category"
            label={t('orgMembers.category')}
            value={category}
            emptyLabel={t('orgMembers.noCategory')}
            options={categories}
            onChange={setCategory}
          />
          {committee && <RoleSelect id="new-member-role" value={role} onChange={setRole} />}
        </div>
        <div class="member-actions">
          <button type="submit" class="button button--primary" aria-disabled={busy}>
            {busy ? t('orgMembers.creating') : t('orgMembers.create')}
          </button>
          <button type="button" class="button" onClick={onCancel}>
            {t('orgMembers.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { listMemberCategories } from '../api/endpoints.js';
import { getMember, resetMemberPassword, updateMember, type MemberChanges, type MemberDetail } from '../api/members.js';
import type { MemberCategory, Role } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { NamedSelect, RoleSelect } from './fields.js';
import { MemberClassesPanel } from './member-classes-panel.js';
import { unitLabel } from './members-table.js';
import { OrgNav } from './org-nav.js';
import { PositionsPanel } from './positions-panel.js';
import { TransferHistory } from './transfer-history.js';
import './members.css';

type Member = MemberDetail & { unitNames?: string[] };
type Confirming = 'deactivate' | 'reactivate' | 'reset' | null;
type Notice = 'saved' | 'deactivated' | 'reactivated' | null;
type PageError = ErrorKey | 'orgMembers.member.notYou' | 'orgMembers.member.notAllowed' | 'orgMembers.errors.nameRequired';

/** One person of the admin's subtree: facts, edits, (de)activation, password reset, and the panels of their records. */
export function MemberPage({ memberId }: { memberId: string }) {
  const { t } = useT();
  const member = useResource<Member>(() => getMember(memberId), [memberId]);
  const categories = useResource<MemberCategory[]>(() => listMemberCategories(), []);
  const title = member.data?.name ?? t('orgMembers.title');
  return (
    <>
      <Breadcrumb trail={[{ href: '/organisation/members', label: t('orgMembers.title') }]} current={title} />
      <Page title={title}>
        <OrgNav />
        <Alert message={member.error && t(member.error)} />
        {member.loading && !member.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {member.data && <MemberDetails member={member.data} categories={categories.data ?? []} onChange={member.set} />}
        {member.data && (
          <>
            <PositionsPanel memberId={memberId} />
            <MemberClassesPanel memberId={memberId} />
            <TransferHistory memberId={memberId} onTransferred={member.reload} />
          </>
        )}
      </Page>
    </>
  );
}

function MemberDetails({ member, categories, onChange }: { member: Member; categories: MemberCategory[]; onChange(m: Member): void }) {
  const { t, lang } = useT();
  const { user } = useSession();
  const self = user.id === member.id;
  const committee = !(user.orgUnit?.path ?? '').includes('/');
  const [name, setName] = useState(member.name);
  const [category, setCategory] = useState(member.category ?? '');
  const [role, setRole] = useState<Role>(member.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PageError | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [oneTime, setOneTime] = useState<string | null>(null);
  const [copied, setCopied] = useState<'copied' | 'copyFailed' | null>(null);

  const categoryName = (code: string | null) => {
    if (!code) return t('orgMembers.noCategory');
    const found = categories.find((c) => c.code === code);
    return found ? (lang === 'en' ? found.nameEn : found.nameZh) : code;
  };
  const failed = (failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 409 && self) setError('orgMembers.member.notYou');
    else if (failure instanceof ApiError && failure.status === 403) setError('orgMembers.member.notAllowed');
    else setError(errorKey(failure));
  };
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (failure) {
      failed(failure);
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };
  const save = async (changes: MemberChanges, done: Notice) =>
    run(async () => {
      const updated = await updateMember(member.id, changes);
      onChange({ ...member, ...updated });
      setNotice(done);
    });

  const onEdit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setError('orgMembers.errors.nameRequired');
    const changes: MemberChanges = {};
    if (name.trim() !== member.name) changes.name = name.trim();
    if ((category || null) !== member.category) changes.category = category || null;
    if (committee && !self && role !== member.role) changes.role = role;
    if (Object.keys(changes).length === 0) return setNotice('saved');
    void save(changes, 'saved');
  };
  const onReset = () =>
    run(async () => {
      const answer = await resetMemberPassword(member.id);
      setCopied(null);
      setOneTime(answer.oneTimePassword);
      onChange({ ...member, mustChangePassword: true });
    });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(oneTime ?? '');
      setCopied('copied');
    } catch {
      setCopied('copyFailed');
    }
  };

  const confirmText: Record<Exclude<Confirming, null>, string> = {
    deactivate: t('orgMembers.member.deactivateConfirm', { name: member.name }),
    reactivate: t('orgMembers.member.reactivateConfirm', { name: member.name }),
    reset: t('orgMembers.member.resetConfirm', { name: member.name }),
  };
  const confirmAction = () => {
    if (confirming === 'deactivate') void save({ active: false }, 'deactivated');
    else if (confirming === 'reactivate') void save({ active: true }, 'reactivated');
    else if (confirming === 'reset') void onReset();
  };

  return (
    <>
      <Alert message={error && t(error)} />
      <p class="status" role="status">
        {notice ? t(`orgMembers.member.${notice}`) : busy ? t('orgMembers.member.saving') : ''}
      </p>

      <section class="member-section" aria-labelledby="member-facts">
        <h2 id="member-facts">{t('orgMembers.member.facts')}</h2>
        <dl class="facts">
          <dt>{t('orgMembers.name')}</dt>
          <dd>{member.name}</dd>
          <dt>{t('orgMembers.login')}</dt>
          <dd>{member.login}</dd>
          <dt>{t('orgMembers.role')}</dt>
          <dd>{t(`roles.${member.role}`)}</dd>
          <dt>{t('orgMembers.member.unitPath')}</dt>
          <dd>{member.unitNames ? unitLabel(member.unitNames) : member.orgUnit.name}</dd>
          <dt>{t('orgMembers.category')}</dt>
          <dd>{categoryName(member.category)}</dd>
          <dt>{t('orgMembers.member.account')}</dt>
          <dd>
            {member.active ? t('orgMembers.active') : <strong>{t('orgMembers.inactive')}</strong>}
            {member.mustChangePassword && <span>{` · ${t('orgMembers.member.passwordPending')}`}</span>}
          </dd>
        </dl>
        <p>
          <Link href={`/reports/members/${encodeURIComponent(member.id)}`}>{t('orgMembers.member.studyReport')}</Link>
        </p>
      </section>

      {oneTime && (
        <section class="one-time-password" aria-labelledby="one-time-title">
          <h2 id="one-time-title">{t('orgMembers.member.oneTimePassword')}</h2>
          <p>
            <code class="one-time-password__value" data-testid="one-time-password">
              {oneTime}
            </code>
          </p>
          <p>{t('orgMembers.member.oneTimeNote')}</p>
          <div class="member-actions">
            <button type="button" class="button button--primary" onClick={() => void copy()}>
              {t('orgMembers.member.copy')}
            </button>
            <button type="button" class="button" onClick={() => setOneTime(null)}>
              {t('orgMembers.member.done')}
            </button>
          </div>
          <p class="status" role="status">
            {copied ? t(`orgMembers.member.${copied}`) : ''}
          </p>
        </section>
      )}

      {!self && (
        <section class="member-section" aria-label={t('orgMembers.member.account')}>
          {confirming ? (
            <div class="confirm" role="group" aria-label={confirmText[confirming]}>
              <p>{confirmText[confirming]}</p>
              <div class="member-actions">
                <button
                  type="button"
                  class={confirming === 'reset' ? 'button button--primary' : 'button button--danger'}
                  aria-disabled={busy}
                  onClick={confirmAction}
                >
                  {busy && confirming === 'reset' ? t('orgMembers.member.resetting') : t('orgMembers.member.confirm')}
                </button>
                <button type="button" class="button" onClick={() => setConfirming(null)}>
                  {t('orgMembers.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <div class="member-actions">
              <button type="button" class="button" onClick={() => setConfirming('reset')}>
                {t('orgMembers.member.resetPassword')}
              </button>
              {member.active ? (
                <button type="button" class="button button--danger" onClick={() => setConfirming('deactivate')}>
                  {t('orgMembers.member.deactivate')}
                </button>
              ) : (
                <button type="button" class="button" onClick={() => setConfirming('reactivate')}>
                  {t('orgMembers.member.reactivate')}
                </button>
              )}
            </div>
          )}
        </section>
      )}

      <section class="member-section" aria-labelledby="member-edit">
        <h2 id="member-edit">{t('orgMembers.member.edit')}</h2>
        <form class="form form--compact" noValidate aria-busy={busy} onSubmit={onEdit}>
          <div class="field-row">
            <div class="field">
              <label for="member-name">{t('orgMembers.name')}</label>
              <input
                id="member-name"
                type="text"
                maxLength={100}
                required
                aria-invalid={error === 'orgMembers.errors.nameRequired'}
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            </div>
            <NamedSelect
              id="member-category"
              label={t('orgMembers.category')}
              value={category}
              emptyLabel={t('orgMembers.noCategory')}
              options={categories}
              onChange={setCategory}
            />
            {committee && !self && <RoleSelect id="member-role" value={role} onChange={setRole} />}
          </div>
          <p class="hint">{t('orgMembers.member.moveHint')}</p>
          <div class="member-actions">
            <button type="submit" class="button button--primary" aria-disabled={busy}>
              {busy && !confirming ? t('orgMembers.member.saving') : t('orgMembers.member.save')}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}

import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { createMemberCategory } from '../api/classes.js';
import { listMemberCategories } from '../api/endpoints.js';
import { createPositionKind, listPositionKinds } from '../api/positions.js';
import { Alert } from '../components/alert.js';
import { LiveStatus } from '../components/live-status.js';
import { Page } from '../components/page.js';
import { useSession } from '../auth/session.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { failureText } from './classes-shared.js';
import { DataTable } from './fields.js';
import { OrgNav } from './org-nav.js';
import { QueueBoardPanel } from './queue-board-panel.js';
import './classes.css';

const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The organisation's settings: the kinds of position people hold, and the member categories. */
export function SettingsPage() {
  const { t, lang } = useT();
  const { user } = useSession();
  const kinds = useResource(listPositionKinds, []);
  const categories = useResource(listMemberCategories, []);
  // The committee is the root unit: its path has no parent part.
  const isCommittee = user.role === 'admin' && user.orgUnit !== null && !user.orgUnit.path.includes('/');
  const name = (row: { nameZh: string; nameEn: string }) => (lang === 'en' ? row.nameEn : row.nameZh);
  return (
    <Page title={t('orgNav.settings')}>
      <OrgNav />
      <div class="org-classes">
        <section class="panel" aria-labelledby="kinds-heading">
          <h2 id="kinds-heading">{t('orgClasses.kindsHeading')}</h2>
          <Alert message={kinds.error && t(kinds.error)} />
          {kinds.loading && !kinds.data && (
            <p class="status" role="status">
              {t('app.loading')}
            </p>
          )}
          {kinds.data && (
            <DataTable
              label={t('orgClasses.kindsCaption')}
              rows={kinds.data}
              rowKey={(kind) => kind.code}
              columns={[
                { label: t('orgClasses.colPosition'), class: 'members__name', cell: (kind) => name(kind) },
                { label: t('orgClasses.colCode'), cell: (kind) => <code>{kind.code}</code> },
                {
                  label: t('orgClasses.colScope'),
                  cell: (kind) =>
                    kind.ownerUnit ? t('orgClasses.kindScope', { name: kind.ownerUnit.name }) : t('orgClasses.builtinScope'),
                },
              ]}
            />
          )}
          <CodeNameForm
            idPrefix="kind"
            heading={t('orgClasses.addKindHeading')}
            save={async (input) => {
              const made = await createPositionKind(input);
              kinds.reload();
              return t('orgClasses.kindAdded', { name: name(made) });
            }}
          />
        </section>

        <section class="panel" aria-labelledby="categories-heading">
          <h2 id="categories-heading">{t('orgClasses.categoriesHeading')}</h2>
          <Alert message={categories.error && t(categories.error)} />
          {categories.data && (
            <DataTable
              label={t('orgClasses.categoriesCaption')}
              rows={categories.data}
              rowKey={(category) => category.code}
              columns={[
                { label: t('orgClasses.nameZh'), class: 'members__name', cell: (category) => category.nameZh },
                { label: t('orgClasses.nameEn'), cell: (category) => category.nameEn },
                { label: t('orgClasses.colCode'), cell: (category) => <code>{category.code}</code> },
              ]}
            />
          )}
          {isCommittee ? (
            <CodeNameForm
              idPrefix="category"
              heading={t('orgClasses.addCategoryHeading')}
              save={async (input) => {
                const made = await createMemberCategory(input);
                categories.reload();
                return t('orgClasses.categoryAdded', { name: name(made) });
              }}
            />
          ) : (
            <p class="notice">{t('orgClasses.onlyCommittee')}</p>
          )}
        </section>

        {isCommittee && <QueueBoardPanel />}
      </div>
    </Page>
  );
}

type Field = 'code' | 'nameZh' | 'nameEn';

/** A code with a Chinese and an English name: what a kind of position and a member category both are. */
function CodeNameForm({
  idPrefix,
  heading,
  save,
}: {
  idPrefix: string;
  heading: string;
  save(input: Record<Field, string>): Promise<string>;
}) {
  const { t } = useT();
  const [input, setInput] = useState<Record<Field, string>>({ code: '', nameZh: '', nameEn: '' });
  const [invalid, setInvalid] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const id = (field: Field) => `${idPrefix}-${field}`;

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const trimmed = { code: input.code.trim().toLowerCase(), nameZh: input.nameZh.trim(), nameEn: input.nameEn.trim() };
    const found: Partial<Record<Field, string>> = {};
    if (!CODE.test(trimmed.code)) found.code = trimmed.code ? t('orgClasses.codeInvalid') : t('orgClasses.required');
    if (!trimmed.nameZh) found.nameZh = t('orgClasses.required');
    if (!trimmed.nameEn) found.nameEn = t('orgClasses.required');
    setInvalid(found);
    const first = (['code', 'nameZh', 'nameEn'] as const).find((f) => found[f]);
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    setStatus(null);
    try {
      setStatus(await save(trimmed));
      setInput({ code: '', nameZh: '', nameEn: '' });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        setInvalid({ code: t('orgClasses.codeTaken') });
        document.getElementById(id('code'))?.focus();
      } else setProblem(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: Field, label: string, hint?: string) => {
    const hintId = hint ? `${id(name)}-hint` : undefined;
    const errorId = invalid[name] ? `${id(name)}-error` : undefined;
    return (
      <div class="field">
        <label for={id(name)}>{label}</label>
        <input
          id={id(name)}
          type="text"
          maxLength={name === 'code' ? 40 : 100}
          autocomplete="off"
          aria-invalid={!!invalid[name]}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
          value={input[name]}
          onInput={(e) => setInput({ ...input, [name]: e.currentTarget.value })}
        />
        {hint && (
          <p id={hintId} class="hint">
            {hint}
          </p>
        )}
        {invalid[name] && (
          <p id={errorId} class="field__error">
            {invalid[name]}
          </p>
        )}
      </div>
    );
  };

  return (
    <form class="form form--compact" noValidate aria-busy={busy} onSubmit={submit} aria-labelledby={`${idPrefix}-add-heading`}>
      <h3 id={`${idPrefix}-add-heading`}>{heading}</h3>
      <Alert message={problem} />
      {field('nameZh', t('orgClasses.nameZh'))}
      {field('nameEn', t('orgClasses.nameEn'))}
      {field('code', t('orgClasses.code'), t('orgClasses.codeHint'))}
      <p class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? t('orgClasses.adding2') : t('orgClasses.add')}
        </button>
      </p>
      <LiveStatus message={status} />
    </form>
  );
}

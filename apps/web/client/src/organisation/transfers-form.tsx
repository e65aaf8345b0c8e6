import type { TargetedSubmitEvent } from 'preact';
import { useId, useState } from 'preact/hooks';
import { useSession } from '../auth/session.js';
import { createTransfer, findDestinations, transferHistory, type Destination, type Transfer } from '../api/transfers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { day } from '../format/numbers.js';
import { ProblemAlert, problemOf, type Problem } from '../studio/problem.js';
import './transfers.css';

interface TransferFormProps {
  member: { id: string; name: string };
  onDone(transfer: Transfer): void;
  onCancel(): void;
}

/**
 * Transfers one member: the destination is found inside the admin's own units (the move is immediate)
 * or in the organisation's directory (another branch accepts it); then the date and the reason.
 */
export function TransferForm({ member, onDone, onCancel }: TransferFormProps) {
  const { t, lang } = useT();
  const id = useId();
  const facts = useResource(() => transferHistory(member.id), [member.id]);
  // A committee admin's own units are the whole organisation: every move is immediate.
  const { user } = useSession();
  const wholeOrganisation = !(user.orgUnit?.path ?? '').includes('/');
  const [where, setWhere] = useState<'inside' | 'all'>('inside');
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Destination[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [target, setTarget] = useState<Destination | null>(null);
  const [effectiveOn, setEffectiveOn] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [clientProblem, setClientProblem] = useState<string | null>(null);

  const today = facts.data?.today ?? '';
  const since = facts.data?.member.since ?? '';
  const date = effectiveOn || today;
  const currentUnitId = facts.data?.member.unit.id;

  const search = async () => {
    setSearching(true);
    setProblem(null);
    try {
      const found = await findDestinations(q.trim(), where);
      setHits(found.items.filter((unit) => unit.id !== currentUnitId && (where === 'inside' || !unit.inScope)));
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setSearching(false);
    }
  };

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setProblem(null);
    if (!target) return setClientProblem(t('orgTransfers.needUnit'));
    if (!date) return setClientProblem(t('orgTransfers.needDate'));
    setClientProblem(null);
    setBusy(true);
    try {
      onDone(await createTransfer({ userId: member.id, toUnitId: target.id, effectiveOn: date, reason: reason.trim() }));
    } catch (failure) {
      setProblem(problemOf(failure));
      setBusy(false);
    }
  };

  const choose = (scope: 'inside' | 'all') => {
    setWhere(scope);
    setHits(null);
    setTarget(null);
  };

  return (
    <form class="form form--compact transfer-form" noValidate aria-busy={busy} onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('orgTransfers.formTitle', { name: member.name })}</h3>
      {facts.data && <p class="hint">{t('orgTransfers.currentUnit', { unit: facts.data.member.unit.name })}</p>}
      <ProblemAlert problem={problem} />
      <div class={clientProblem ? 'alert alert--shown' : 'alert'} role="alert">
        {clientProblem}
      </div>
      {!wholeOrganisation && (
        <fieldset class="choices">
          <legend>{t('orgTransfers.where')}</legend>
          <label class="choice">
            <input type="radio" name={`${id}-where`} checked={where === 'inside'} onChange={() => choose('inside')} />
            {t('orgTransfers.inside')}
          </label>
          <label class="choice">
            <input type="radio" name={`${id}-where`} checked={where === 'all'} onChange={() => choose('all')} />
            {t('orgTransfers.outside')}
          </label>
        </fieldset>
      )}
      <SearchField
        id={`${id}-q`}
        label={t('orgTransfers.findUnit')}
        placeholder={t('orgTransfers.findUnitHint')}
        value={q}
        searching={searching}
        onInput={setQ}
        onSearch={() => void search()}
      />
      {hits && hits.length === 0 && <p class="status">{t('orgTransfers.noUnits')}</p>}
      {hits && hits.length > 0 && (
        <ul class="transfer-picks">
          {hits.map((unit) => (
            <li key={unit.id} class="transfer-pick">
              <span class="transfer-pick__name">
                {unit.name}
                <span class="transfer-pick__trail">{unit.trail}</span>
              </span>
              <button
                type="button"
                class={target?.id === unit.id ? 'button button--primary' : 'button'}
                aria-pressed={target?.id === unit.id}
                onClick={() => setTarget(unit)}
              >
                {t('orgTransfers.chooseUnit')}
                <span class="visually-hidden"> {unit.trail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="status" role="status">
        {target ? t('orgTransfers.chosenUnit', { unit: target.trail }) : ''}
      </p>
      <div class="field">
        <label for={`${id}-day`}>{t('orgTransfers.effectiveOn')}</label>
        <input
          id={`${id}-day`}
          type="date"
          required
          min={since || undefined}
          max={today || undefined}
          value={date}
          aria-describedby={`${id}-day-hint`}
          onInput={(e) => setEffectiveOn(e.currentTarget.value)}
        />
        <p id={`${id}-day-hint`} class="hint">
          {t('orgTransfers.effectiveOnHint', { since: since ? day(since, lang) : '—' })}
        </p>
      </div>
      <div class="field">
        <label for={`${id}-reason`}>{t('orgTransfers.reason')}</label>
        <textarea id={`${id}-reason`} rows={2} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary" aria-disabled={busy}>
          {busy ? t('orgTransfers.submitting') : t('orgTransfers.submit')}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface SearchFieldProps {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  searching: boolean;
  onInput(value: string): void;
  onSearch(): void;
}

/** A search box with its button, inside a form it must not submit: Enter searches instead. */
export function SearchField({ id, label, placeholder, value, searching, onInput, onSearch }: SearchFieldProps) {
  const { t } = useT();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="transfer-search">
        <input
          id={id}
          type="search"
          maxLength={100}
          placeholder={placeholder}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              onSearch();
            }
          }}
        />
        <button type="button" class="button" aria-disabled={searching} onClick={onSearch}>
          {searching ? t('orgTransfers.searching') : t('orgTransfers.search')}
        </button>
      </div>
    </div>
  );
}

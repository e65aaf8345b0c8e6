import { useId, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { acceptTransfer, cancelTransfer, rejectTransfer, type Transfer } from '../api/transfers.js';
import { day } from '../format/numbers.js';
import { useT } from '../i18n/use-t.js';
import { ProblemAlert, problemOf, type Problem } from '../studio/problem.js';
import './transfers.css';

export function TransferStatusBadge({ status }: { status: Transfer['status'] }) {
  const { t } = useT();
  return <span class={`badge badge--${status}`}>{t(`orgTransfers.status.${status}`)}</span>;
}

/** The day an instant fell on, on the reader's calendar. */
const dayOf = (iso: string, lang: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(iso));

interface TransferCardProps {
  transfer: Transfer;
  /** Called with the answer after a decision, so the lists reload. */
  onChanged?(transfer: Transfer, message: string): void;
  /** Heading level of the member's name inside the card. */
  headingLevel?: 3 | 4;
}

/** One transfer: who, from where to where, when and why; while it waits, the decisions the admin may take. */
export function TransferCard({ transfer, onChanged, headingLevel = 3 }: TransferCardProps) {
  const { t, lang } = useT();
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'accept' | 'reject' | 'cancel' | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [needNote, setNeedNote] = useState(false);
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const name = transfer.member.name;

  const act = async (action: 'accept' | 'reject' | 'cancel') => {
    if (busy) return;
    if (action === 'reject' && !note.trim()) {
      setNeedNote(true);
      document.getElementById(`${id}-note`)?.focus();
      return;
    }
    setNeedNote(false);
    setProblem(null);
    setBusy(action);
    try {
      const answer =
        action === 'accept'
          ? await acceptTransfer(transfer.id, note.trim())
          : action === 'reject'
            ? await rejectTransfer(transfer.id, note.trim())
            : await cancelTransfer(transfer.id);
      const message = t(
        action === 'accept' ? 'orgTransfers.accepted' : action === 'reject' ? 'orgTransfers.rejected' : 'orgTransfers.cancelled',
        {
          name,
        },
      );
      onChanged?.(answer, message);
    } catch (failure) {
      setProblem(
        failure instanceof ApiError && failure.status === 409
          ? { key: 'errors.conflict', detail: t('orgTransfers.alreadyDecided') }
          : problemOf(failure),
      );
      setBusy(null);
    }
  };

  const decidable = transfer.mayAccept || transfer.mayReject;
  return (
    <article class={`transfer-card transfer-card--${transfer.status}`} aria-labelledby={`${id}-name`}>
      <Heading id={`${id}-name`}>
        {name} <span class="transfer-card__facts">{transfer.member.login}</span>
      </Heading>
      <p>
        <TransferStatusBadge status={transfer.status} />
      </p>
      <p class="transfer-card__route">{t('orgTransfers.fromTo', { from: transfer.from.name, to: transfer.to.name })}</p>
      <p class="transfer-card__facts">
        {t('orgTransfers.facts', { day: day(transfer.effectiveOn, lang), by: transfer.requestedBy ?? '—' })}
      </p>
      {transfer.reason && <p>{t('orgTransfers.reasonText', { reason: transfer.reason })}</p>}
      {transfer.decidedAt && transfer.status !== 'pending' && (
        <p class="transfer-card__facts">
          {t('orgTransfers.decidedBy', { by: transfer.decidedBy ?? '—', day: dayOf(transfer.decidedAt, lang) })}
        </p>
      )}
      {transfer.decisionNote && <p>{t('orgTransfers.noteText', { note: transfer.decisionNote })}</p>}
      {transfer.status === 'pending' && (decidable || transfer.mayCancel) && (
        <div class="form form--compact">
          <ProblemAlert problem={problem} />
          {decidable && (
            <div class="field">
              <label for={`${id}-note`}>{t('orgTransfers.note')}</label>
              <textarea
                id={`${id}-note`}
                rows={2}
                maxLength={500}
                value={note}
                aria-invalid={needNote}
                aria-describedby={needNote ? `${id}-need` : undefined}
                onInput={(e) => setNote(e.currentTarget.value)}
              />
              {needNote && (
                <p id={`${id}-need`} class="field__error">
                  {t('orgTransfers.needNote')}
                </p>
              )}
            </div>
          )}
          <div class="actions">
            {transfer.mayAccept && (
              <button type="button" class="button button--primary" aria-disabled={busy !== null} onClick={() => void act('accept')}>
                {busy === 'accept' ? t('orgTransfers.accepting') : t('orgTransfers.accept')}
                <span class="visually-hidden"> {name}</span>
              </button>
            )}
            {transfer.mayReject && (
              <button type="button" class="button button--danger" aria-disabled={busy !== null} onClick={() => void act('reject')}>
                {busy === 'reject' ? t('orgTransfers.rejecting') : t('orgTransfers.reject')}
                <span class="visually-hidden"> {name}</span>
              </button>
            )}
            {transfer.mayCancel && (
              <button type="button" class="button" aria-disabled={busy !== null} onClick={() => void act('cancel')}>
                {busy === 'cancel' ? t('orgTransfers.cancelling') : t('orgTransfers.cancel')}
                <span class="visually-hidden"> {name}</span>
              </button>
            )}
          </div>
        </div>
      )}
    </article>
  );
}

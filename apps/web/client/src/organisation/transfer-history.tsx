import { useId, useState } from 'preact/hooks';
import { transferHistory, type Transfer } from '../api/transfers.js';
import { Alert } from '../components/alert.js';
import { addDays, day } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { TransferForm } from './transfers-form.js';
import { TransferCard } from './transfers-list.js';
import './transfers.css';

/**
 * A member's transfers (where they were when), with the action to transfer them; shown on the member's
 * page. `allowTransfer={false}` shows the record only (e.g. inside the transfers page's list);
 * `onTransferred` lets the page reload what it shows of the member once a transfer was made.
 */
export function TransferHistory({
  memberId,
  allowTransfer = true,
  onTransferred,
}: {
  memberId: string;
  allowTransfer?: boolean;
  onTransferred?(transfer: Transfer): void;
}) {
  const { t, lang } = useT();
  const id = useId();
  const history = useResource(() => transferHistory(memberId), [memberId]);
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const data = history.data;

  return (
    <section class="transfer-history" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{data ? t('orgTransfers.historyOf', { name: data.member.name }) : t('orgTransfers.history')}</h2>
      <Alert message={history.error && t(history.error)} />
      {history.loading && !data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      <p class="status" role="status">
        {message}
      </p>
      {data && (
        <>
          <p>{t('orgTransfers.currentUnit', { unit: data.member.unit.name })}</p>
          {allowTransfer && data.member.inScope && data.member.role === 'member' && !open && (
            <p class="actions">
              <button
                type="button"
                class="button button--primary"
                onClick={() => {
                  setMessage('');
                  setOpen(true);
                }}
              >
                {t('orgTransfers.transfer')}
                <span class="visually-hidden"> {data.member.name}</span>
              </button>
            </p>
          )}
          {open && (
            <TransferForm
              member={{ id: data.member.id, name: data.member.name }}
              onCancel={() => setOpen(false)}
              onDone={(transfer) => {
                setOpen(false);
                setMessage(
                  transfer.status === 'done'
                    ? t('orgTransfers.sentDone', { name: transfer.member.name, unit: transfer.to.name })
                    : t('orgTransfers.sentPending', { unit: transfer.to.name }),
                );
                history.reload();
                onTransferred?.(transfer);
              }}
            />
          )}
          {data.transfers.length === 0 ? (
            <p class="hint">{t('orgTransfers.noTransfers')}</p>
          ) : (
            <ul class="transfer-list">
              {data.transfers.map((transfer) => (
                <li key={transfer.id}>
                  <TransferCard transfer={{ ...transfer, mayAccept: false, mayReject: false, mayCancel: false }} headingLevel={4} />
                </li>
              ))}
            </ul>
          )}
          <h3>{t('orgTransfers.periods')}</h3>
          <p class="hint">{t('orgTransfers.periodsHint')}</p>
          {/* A period's last day is the day before the next began (the record's end is exclusive). */}
          <ul class="transfer-periods">
            {data.periods.map((period) => (
              <li key={period.fromDay} class={period.toDay ? undefined : 'transfer-periods__open'}>
                <span>{period.unit.name}</span>
                {' · '}
                <span>
                  {period.toDay
                    ? t('orgTransfers.periodRange', { from: day(period.fromDay, lang), to: day(addDays(period.toDay, -1), lang) })
                    : t('orgTransfers.periodOpen', { from: day(period.fromDay, lang) })}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

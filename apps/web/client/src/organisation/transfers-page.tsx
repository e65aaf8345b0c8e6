import { useState } from 'preact/hooks';
import { findMembers, listTransfers, type MemberHit, type Transfer } from '../api/transfers.js';
import { Alert } from '../components/alert.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { ProblemAlert, problemOf, type Problem } from '../studio/problem.js';
import { OrgNav } from './org-nav.js';
import { TransferHistory } from './transfer-history.js';
import { SearchField, TransferForm } from './transfers-form.js';
import { TransferCard } from './transfers-list.js';
import { Page } from '../components/page.js';
import './transfers.css';

const PAGE = 20;

/**
 * Transfers seen from the admin's units: those waiting for the admin's decision (accept, or reject with
 * a note), those waiting for another branch (cancel while they wait), the decided history, and a form
 * to transfer a member.
 */
export function TransfersPage() {
  const { t } = useT();
  const [message, setMessage] = useState('');
  const [generation, setGeneration] = useState(0);
  const pending = useResource(() => listTransfers({ status: 'pending', direction: 'all', limit: 100 }), [generation]);
  const [shown, setShown] = useState(PAGE);
  const decided = useResource(() => listTransfers({ status: 'decided', direction: 'all', limit: shown }), [generation, shown]);
  const refresh = (text: string) => {
    setMessage(text);
    setGeneration((g) => g + 1);
  };

  const mine = pending.data?.items.filter((x) => x.mayAccept || x.mayReject) ?? [];
  const theirs = pending.data?.items.filter((x) => !x.mayAccept && !x.mayReject) ?? [];
  const onChanged = (_: Transfer, text: string) => refresh(text);

  return (
    <Page title={t('orgTransfers.title')}>
      <OrgNav />
      <p class="lead">{t('orgTransfers.intro')}</p>
      <p class="status" role="status">
        {message}
      </p>

      <section aria-labelledby="transfers-mine">
        <h2 id="transfers-mine">{t('orgTransfers.waitingMine')}</h2>
        <Alert message={pending.error && t(pending.error)} />
        {pending.loading && !pending.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {pending.data && mine.length === 0 && <p class="hint">{t('orgTransfers.waitingMineNone')}</p>}
        <TransferList items={mine} onChanged={onChanged} />
      </section>

      <section aria-labelledby="transfers-theirs">
        <h2 id="transfers-theirs">{t('orgTransfers.waitingTheirs')}</h2>
        {pending.data && theirs.length === 0 && <p class="hint">{t('orgTransfers.waitingTheirsNone')}</p>}
        <TransferList items={theirs} onChanged={onChanged} />
      </section>

      <NewTransfer onDone={refresh} />

      <section aria-labelledby="transfers-decided">
        <h2 id="transfers-decided">{t('orgTransfers.decided')}</h2>
        <Alert message={decided.error && t(decided.error)} />
        {decided.data && decided.data.items.length === 0 && <p class="hint">{t('orgTransfers.decidedNone')}</p>}
        <TransferList items={decided.data?.items ?? []} />
        {decided.data && decided.data.total > decided.data.items.length && (
          <p class="actions">
            <button type="button" class="button" aria-disabled={decided.loading} onClick={() => setShown((n) => n + PAGE)}>
              {decided.loading ? t('app.loading') : t('orgTransfers.more')}
            </button>
          </p>
        )}
      </section>
    </Page>
  );
}

function TransferList({ items, onChanged }: { items: Transfer[]; onChanged?: (transfer: Transfer, message: string) => void }) {
  if (items.length === 0) return null;
  return (
    <ul class="transfer-list">
      {items.map((transfer) => (
        <li key={transfer.id}>
          <TransferCard transfer={transfer} onChanged={onChanged} />
          <MemberHistory memberId={transfer.member.id} name={transfer.member.name} />
        </li>
      ))}
    </ul>
  );
}

/** The member's history, loaded when opened. */
function MemberHistory({ memberId, name }: { memberId: string; name: string }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  return (
    <details class="transfer-card__more" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('orgTransfers.showHistory', { name })}</summary>
      {open && <TransferHistory memberId={memberId} allowTransfer={false} />}
    </details>
  );
}

/** Finds a member of the admin's units and opens the transfer form for them. */
function NewTransfer({ onDone }: { onDone(message: string): void }) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<MemberHit[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [member, setMember] = useState<MemberHit | null>(null);

  const search = async () => {
    setSearching(true);
    setProblem(null);
    try {
      setHits((await findMembers(q.trim())).items);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setSearching(false);
    }
  };

  return (
    <section aria-labelledby="transfers-new">
      <h2 id="transfers-new">{t('orgTransfers.newTitle')}</h2>
      {member ? (
        <>
          <p class="actions">
            <button type="button" class="button" onClick={() => setMember(null)}>
              {t('orgTransfers.otherMember')}
            </button>
          </p>
          <TransferForm
            member={member}
            onCancel={() => setMember(null)}
            onDone={(transfer) => {
              setMember(null);
              setHits(null);
              onDone(
                transfer.status === 'done'
                  ? t('orgTransfers.sentDone', { name: transfer.member.name, unit: transfer.to.name })
                  : t('orgTransfers.sentPending', { unit: transfer.to.name }),
              );
            }}
          />
        </>
      ) : (
        <div class="form form--compact">
          <ProblemAlert problem={problem} />
          <SearchField
            id="transfer-member-q"
            label={t('orgTransfers.findMember')}
            placeholder={t('orgTransfers.findMemberHint')}
            value={q}
            searching={searching}
            onInput={setQ}
            onSearch={() => void search()}
          />
          {hits && hits.length === 0 && <p class="status">{t('orgTransfers.noMembers')}</p>}
          {hits && hits.length > 0 && (
            <ul class="transfer-picks member-picks">
              {hits.map((hit) => (
                <li key={hit.id} class="transfer-pick">
                  <span class="transfer-pick__name">
                    {hit.name}
                    <span class="transfer-pick__trail">
                      {hit.login}
                      {hit.orgUnit ? ` · ${hit.orgUnit.name}` : ''}
                    </span>
                  </span>
                  <button type="button" class="button" onClick={() => setMember(hit)}>
                    {t('orgTransfers.transfer')}
                    <span class="visually-hidden"> {hit.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

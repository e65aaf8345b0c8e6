import { useState } from 'preact/hooks';
import { openQueueBoardTicket } from '../api/queue-board.js';
import { Alert } from '../components/alert.js';
import { useT } from '../i18n/use-t.js';
import { failureText } from './classes-shared.js';

/**
 * Opens the queue board (bull-board), a page the server renders: the browser cannot send it the
 * app's bearer token, so a ticket cookie for the board's path is set first.
 */
export function QueueBoardPanel() {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const open = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const { url } = await openQueueBoardTicket();
      window.location.assign(url);
    } catch (failure) {
      setProblem(failureText(failure, t));
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="queue-board-heading">
      <h2 id="queue-board-heading">{t('queueBoard.heading')}</h2>
      <p>{t('queueBoard.text')}</p>
      <Alert message={problem} />
      <p class="actions">
        <button type="button" class="button button--primary" disabled={busy} aria-busy={busy} onClick={() => void open()}>
          {busy ? t('queueBoard.opening') : t('queueBoard.open')}
        </button>
      </p>
    </section>
  );
}

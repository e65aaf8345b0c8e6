import type { ImportResult } from '../api/member-import.js';
import { useEffect, useRef } from 'preact/hooks';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';

/** What the confirmation did, with the way to the member list. */
export function ImportDone({ result, onAgain }: { result: ImportResult; onAgain(): void }) {
  const { t } = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="panel import-done" aria-labelledby="import-done-title">
      <h2 id="import-done-title" ref={heading} tabIndex={-1}>
        {t('orgImport.doneTitle')}
      </h2>
      <p class="import-done__summary" role="status">
        {t('orgImport.doneSummary', { created: result.created, updated: result.updated })}
      </p>
      {result.rejected > 0 && <p>{t('orgImport.doneSkipped', { count: result.rejected })}</p>}
      {result.created > 0 && <p class="hint">{t('orgImport.donePasswords')}</p>}
      <p class="actions">
        <Link href="/organisation/members" class="button button--primary">
          {t('orgImport.toMembers')}
        </Link>
        <button type="button" class="button" onClick={onAgain}>
          {t('orgImport.importAnother')}
        </button>
      </p>
    </section>
  );
}

import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import { Alert } from '../components/alert.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import './earlier-versions.css';

/** One earlier version as the list shows it; `detail` is already in words (its size, how many chapters). */
export interface VersionRow {
  key: string;
  savedAt: string;
  savedByName: string;
  detail: string;
}

interface EarlierVersionsProps<T> {
  /** Changes whenever the current version does (a save, a restore, another language), to list the versions again. */
  reloadKey: string;
  load: () => Promise<VersionRow[]>;
  read: (key: string) => Promise<T>;
  /** The version's content, read-only. */
  show: (content: T) => ComponentChildren;
  /** Saves the version as the current one and puts it in the editor; throws as the API does. */
  restore: (key: string) => Promise<void>;
}

/**
 * "Earlier versions" of a studio editor (captions, chapters): the versions kept on the server, newest first, each
 * with who saved it and when (in the reader's language). "View" shows one read-only under its row; "Restore this
 * version" asks first, then saves it as the current one; the version it replaces is kept in turn.
 */
export function EarlierVersions<T>({ reloadKey, load, read, show, restore }: EarlierVersionsProps<T>) {
  const { t, lang } = useT();
  const versions = useResource(load, [reloadKey]);
  const [open, setOpen] = useState<{ key: string; content: T } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const headingId = useId();

  useEffect(() => setOpen(null), [reloadKey]);

  const when = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const toggle = async (row: VersionRow) => {
    setFailure(null);
    if (open?.key === row.key) {
      setOpen(null);
      return;
    }
    setBusy(`view-${row.key}`);
    try {
      setOpen({ key: row.key, content: await read(row.key) });
    } catch (error) {
      setFailure(t(errorKey(error)));
    } finally {
      setBusy(null);
    }
  };

  const bringBack = async (row: VersionRow) => {
    if (!confirm(t('versions.restoreConfirm', { time: when(row.savedAt), name: row.savedByName }))) return;
    setBusy(`restore-${row.key}`);
    setMessage(null);
    setFailure(null);
    try {
      await restore(row.key);
      setMessage(t('versions.restored', { time: when(row.savedAt) }));
    } catch (error) {
      setFailure(error instanceof ApiError && error.status === 409 ? t('versions.conflict') : t(errorKey(error)));
    } finally {
      setBusy(null);
    }
  };

  const rows = versions.data ?? [];
  return (
    <section class="earlier-versions" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('versions.heading')}</h2>
      <p class="hint">{t('versions.intro')}</p>
      <p class="status" role="status">
        {message}
      </p>
      <Alert message={failure ?? (versions.error && t(versions.error))} />
      {versions.loading && !versions.data && <p class="hint">{t('versions.loading')}</p>}
      {versions.data && rows.length === 0 && <p class="notice">{t('versions.none')}</p>}
      {rows.length > 0 && (
        <ol class="earlier-versions__list">
          {rows.map((row) => {
            const time = when(row.savedAt);
            const shown = open?.key === row.key;
            const viewId = `${headingId}-${row.key}`;
            return (
              <li key={row.key} class="earlier-versions__item">
                <p class="earlier-versions__who">
                  <time dateTime={row.savedAt}>{t('versions.savedBy', { time, name: row.savedByName })}</time>
                </p>
                <p class="earlier-versions__detail">{row.detail}</p>
                <div class="actions actions--compact">
                  <button
                    type="button"
                    class="button"
                    aria-expanded={shown}
                    aria-controls={shown ? viewId : undefined}
                    disabled={busy !== null}
                    onClick={() => void toggle(row)}
                  >
                    {shown ? t('versions.hide') : t('versions.view')}
                    <span class="visually-hidden">{t('versions.forVersion', { time })}</span>
                  </button>
                  <button type="button" class="button" disabled={busy !== null} onClick={() => void bringBack(row)}>
                    {busy === `restore-${row.key}` ? t('versions.restoring') : t('versions.restore')}
                    <span class="visually-hidden">{t('versions.forVersion', { time })}</span>
                  </button>
                </div>
                {shown && open && (
                  <div id={viewId} class="earlier-versions__view" role="region" aria-label={t('versions.viewing', { time })}>
                    <p class="earlier-versions__view-title">{t('versions.viewing', { time })}</p>
                    {show(open.content)}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

import type { TargetedMouseEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { fetchNotices, markNoticesRead, type NoticeView } from '../api/notices.js';
import { Alert } from '../components/alert.js';
import { day, todayIso } from '../format/numbers.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { navigate } from '../router/router.js';
import { insideLink, noticeMessage, unreadFirst } from './notice-logic.js';
import './voice.css';

/**
 * What is new for the member, on their home page: nothing at all when nothing is unread (nor while it loads,
 * nor when it cannot be read), otherwise the unread notices first, each leading to its page, and a button
 * that marks them all read. Opening a notice marks it read.
 */
export function WhatsNew() {
  const { t } = useT();
  const notices = useResource(fetchNotices, []);
  // Once shown, the panel stays while the page is open, even after everything in it is read.
  const shown = useRef(false);
  const [status, setStatus] = useState<'idle' | 'busy' | 'done' | 'failed'>('idle');
  const data = notices.data;
  if (data && data.unread > 0) shown.current = true;
  if (!data || !shown.current) return null;
  const items = unreadFirst(data.items.filter((n) => noticeMessage(n) !== null));

  const markAll = async () => {
    setStatus('busy');
    try {
      await markNoticesRead();
      const readAt = new Date().toISOString();
      notices.set({ items: data.items.map((n) => ({ ...n, readAt: n.readAt ?? readAt })), unread: 0 });
      setStatus('done');
    } catch {
      setStatus('failed');
    }
  };
  const opened = (notice: NoticeView) => {
    if (notice.readAt !== null) return;
    const readAt = new Date().toISOString();
    notices.set({ items: data.items.map((n) => (n.id === notice.id ? { ...n, readAt } : n)), unread: Math.max(0, data.unread - 1) });
    // Leaving the page does not wait for the answer; a notice left unread is shown again, nothing worse.
    markNoticesRead([notice.id]).catch(() => undefined);
  };

  return (
    <section class="whats-new" aria-labelledby="whats-new-heading">
      <div class="whats-new__head">
        <h2 id="whats-new-heading">
          {t('notices.whatsNew.title')}
          {data.unread > 0 && <span class="badge whats-new__count">{t('notices.whatsNew.unread', { count: data.unread })}</span>}
        </h2>
        {data.unread > 0 && (
          <button type="button" class="button whats-new__all" onClick={markAll} disabled={status === 'busy'}>
            {t('notices.whatsNew.markAllRead')}
          </button>
        )}
      </div>
      <p class="status whats-new__status" role="status">
        {status === 'done' ? t('notices.whatsNew.markedAll') : ''}
      </p>
      <Alert message={status === 'failed' ? t('notices.whatsNew.markFailed') : null} />
      <ul class="whats-new__list">
        {items.map((notice) => (
          <li key={notice.id}>
            <NoticeItem notice={notice} onOpen={opened} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoticeItem({ notice, onOpen }: { notice: NoticeView; onOpen: (notice: NoticeView) => void }) {
  const { t, lang } = useT();
  const message = noticeMessage(notice)!;
  const { title, date, ...rest } = message.values;
  const sentence = t(`notices.kind.${message.key}`, {
    ...rest,
    title: title || t('notices.kind.untitled'),
    ...(date ? { date: day(date, lang) } : {}),
  });
  const unread = notice.readAt === null;
  const itemClass = `whats-new__item${unread ? ' whats-new__item--unread' : ''}`;
  const body = (
    <>
      <span class={`badge whats-new__state${unread ? ' whats-new__state--new' : ''}`}>
        {unread ? t('notices.whatsNew.newBadge') : t('notices.whatsNew.readBadge')}
      </span>
      <span class="whats-new__text">{sentence}</span>
      <span class="whats-new__when">{day(todayIso(new Date(notice.createdAt)), lang)}</span>
    </>
  );
  const href = insideLink(notice.link);
  if (!href) return <div class={itemClass}>{body}</div>;
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    onOpen(notice);
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} class={`${itemClass} whats-new__item--link`} onClick={onClick}>
      {body}
    </a>
  );
}

import type { NoticeParams, NoticeView } from '#contracts';

/** A key of the `notices.kind` messages. */
export type NoticeMessageKey =
  | 'questionnaireReminder'
  | 'questionnaireReminderDue'
  | 'requestPlanned'
  | 'requestLinked'
  | 'requestLinkedCourse'
  | 'requestDeclined'
  | 'requestDeclinedReason'
  | 'requestAnswered'
  | 'reflectionRead'
  | 'reflectionExcellent'
  | 'reflectionReturned'
  | 'reflectionReviewed'
  | 'reflectionPublished'
  | 'reflectionPublishedUnit'
  | 'groupMakeup'
  | 'groupMakeupDue';

export interface NoticeMessage {
  key: NoticeMessageKey;
  /** The values the sentence names, as text; `date` is YYYY-MM-DD when given, for the page to word. */
  values: { title: string; course?: string; reason?: string; unit?: string; date?: string };
}

const MAX_PARAM = 200;

const text = (params: NoticeParams, name: string): string | undefined => {
  const value = params[name];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? (trimmed.length > MAX_PARAM ? `${trimmed.slice(0, MAX_PARAM - 1)}…` : trimmed) : undefined;
};

/**
 * The sentence a notice is worded with, from its kind and params:
 * - questionnaire.reminder: `title`, optional `closesOn` (YYYY-MM-DD);
 * - request.answered: `title`, `status` (planned; answered: covered by a course; declined), optional
 *   `courseTitle` and `reason`;
 * - reflection.reviewed: `title`, `verdict` (read | excellent | returned);
 * - reflection.published: `title`, optional `unit` (whose wall);
 * - group.makeup: `title` (the lecture missed at a collective viewing), optional `until` (YYYY-MM-DD, the last day
 *   the make-up counts toward a plan).
 * An unknown status still gives a plain sentence for its kind; a kind this page does not know gives null.
 */
export function noticeMessage(notice: Pick<NoticeView, 'kind' | 'params'>): NoticeMessage | null {
  const params = notice.params ?? {};
  const title = text(params, 'title') ?? '';
  const kind: string = notice.kind;
  switch (kind) {
    case 'questionnaire.reminder': {
      const date = text(params, 'closesOn');
      return date && /^\d{4}-\d{2}-\d{2}$/.test(date)
        ? { key: 'questionnaireReminderDue', values: { title, date } }
        : { key: 'questionnaireReminder', values: { title } };
    }
    case 'request.answered': {
      const status = text(params, 'status');
      const course = text(params, 'courseTitle');
      const reason = text(params, 'reason');
      if (status === 'planned') return { key: 'requestPlanned', values: { title } };
      if (status === 'answered')
        return course ? { key: 'requestLinkedCourse', values: { title, course } } : { key: 'requestLinked', values: { title } };
      if (status === 'declined')
        return reason ? { key: 'requestDeclinedReason', values: { title, reason } } : { key: 'requestDeclined', values: { title } };
      return { key: 'requestAnswered', values: { title } };
    }
    case 'reflection.reviewed': {
      const verdict = text(params, 'verdict');
      if (verdict === 'read') return { key: 'reflectionRead', values: { title } };
      if (verdict === 'excellent') return { key: 'reflectionExcellent', values: { title } };
      if (verdict === 'returned') return { key: 'reflectionReturned', values: { title } };
      return { key: 'reflectionReviewed', values: { title } };
    }
    case 'reflection.published': {
      const unit = text(params, 'unit');
      return unit ? { key: 'reflectionPublishedUnit', values: { title, unit } } : { key: 'reflectionPublished', values: { title } };
    }
    case 'group.makeup': {
      const date = text(params, 'until');
      return date && /^\d{4}-\d{2}-\d{2}$/.test(date)
        ? { key: 'groupMakeupDue', values: { title, date } }
        : { key: 'groupMakeup', values: { title } };
    }
    default:
      return null;
  }
}

/** Unread notices first, each group newest first (as the server lists them). */
export function unreadFirst<T extends Pick<NoticeView, 'readAt'>>(items: readonly T[]): T[] {
  return [...items.filter((n) => n.readAt === null), ...items.filter((n) => n.readAt !== null)];
}

/** A notice's link when it is a path inside the app; anything else (another site, a scheme) is dropped. */
export function insideLink(link: string | null): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null;
  return link;
}

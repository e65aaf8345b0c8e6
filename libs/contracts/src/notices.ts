/** The kinds of notice a member can find on their home page; the page words each in the member's language. */
export const NOTICE_KINDS = [
  'questionnaire.reminder',
  'request.answered',
  'reflection.reviewed',
  'reflection.published',
  'group.makeup',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Values a notice's sentence needs (a title, a status): text or numbers only, rendered as text. */
export type NoticeParams = Record<string, string | number>;

export interface NoticeView {
  id: string;
  kind: NoticeKind;
  params: NoticeParams;
  /** A path inside the app the notice leads to, or null. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NoticeListView {
  items: NoticeView[];
  unread: number;
}

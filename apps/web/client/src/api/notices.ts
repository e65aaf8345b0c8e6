import type { NoticeListView, NoticeView } from '#contracts';
import { request } from './api.js';

export type { NoticeListView, NoticeView };

/** The signed-in person's latest notices, newest first, and how many are unread. */
export function fetchNotices(limit = 20): Promise<NoticeListView> {
  return request('GET', `/api/notices?limit=${encodeURIComponent(String(limit))}`);
}

/** Marks the named notices read, or all of the caller's when none are named. */
export function markNoticesRead(ids?: readonly string[]): Promise<{ marked: number }> {
  return request('POST', '/api/notices/read', ids ? { ids } : {});
}

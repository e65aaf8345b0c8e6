import { describe, expect, it } from '@jest/globals';
import type { NoticeKind, NoticeParams } from '#contracts';
import { GROUP_MAKEUP_NOTICE_KIND } from '#contracts';
import { noticeMessage } from '../../voice/notice-logic.js';

describe('the make-up notice', () => {
  it.each<[NoticeParams, string, Record<string, string>]>([
    [{ title: '第一讲' }, 'groupMakeup', { title: '第一讲' }],
    [{ title: '第一讲', until: '2027-01-15' }, 'groupMakeupDue', { title: '第一讲', date: '2027-01-15' }],
    [{ title: '第一讲', until: 'soon' }, 'groupMakeup', { title: '第一讲' }],
    [{ title: 7 }, 'groupMakeup', { title: '7' }],
  ])('%j → %s', (params, key, values) => {
    expect(noticeMessage({ kind: GROUP_MAKEUP_NOTICE_KIND as NoticeKind, params })).toEqual({ key, values });
  });
});

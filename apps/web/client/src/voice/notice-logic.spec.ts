import { describe, expect, it } from '@jest/globals';
import type { NoticeKind, NoticeParams } from '#contracts';
import { insideLink, noticeMessage, unreadFirst } from './notice-logic.js';

describe('noticeMessage', () => {
  it.each<[NoticeKind, NoticeParams, string, Record<string, string>]>([
    ['questionnaire.reminder', { title: '学习需求' }, 'questionnaireReminder', { title: '学习需求' }],
    [
      'questionnaire.reminder',
      { title: '学习需求', closesOn: '2026-12-31' },
      'questionnaireReminderDue',
      { title: '学习需求', date: '2026-12-31' },
    ],
    ['questionnaire.reminder', { title: '学习需求', closesOn: 'soon' }, 'questionnaireReminder', { title: '学习需求' }],
    ['request.answered', { title: '电商', status: 'planned' }, 'requestPlanned', { title: '电商' }],
    ['request.answered', { title: '电商', status: 'answered' }, 'requestLinked', { title: '电商' }],
    [
      'request.answered',
      { title: '电商', status: 'answered', courseTitle: '农村电商' },
      'requestLinkedCourse',
      { title: '电商', course: '农村电商' },
    ],
    ['request.answered', { title: '电商', status: 'declined' }, 'requestDeclined', { title: '电商' }],
    ['request.answered', { title: '电商', status: 'declined', reason: '已有' }, 'requestDeclinedReason', { title: '电商', reason: '已有' }],
    ['request.answered', { title: '电商', status: 'odd' }, 'requestAnswered', { title: '电商' }],
    ['reflection.reviewed', { title: '心得', verdict: 'read' }, 'reflectionRead', { title: '心得' }],
    ['reflection.reviewed', { title: '心得', verdict: 'excellent' }, 'reflectionExcellent', { title: '心得' }],
    ['reflection.reviewed', { title: '心得', verdict: 'returned' }, 'reflectionReturned', { title: '心得' }],
    ['reflection.reviewed', { title: '心得' }, 'reflectionReviewed', { title: '心得' }],
    ['reflection.published', { title: 7 }, 'reflectionPublished', { title: '7' }],
    ['reflection.published', {}, 'reflectionPublished', { title: '' }],
    ['reflection.published', { title: '心得', unit: '东区分会' }, 'reflectionPublishedUnit', { title: '心得', unit: '东区分会' }],
    ['reflection.published', { title: '  <script>alert(1)</script> ' }, 'reflectionPublished', { title: '<script>alert(1)</script>' }],
  ])('words %s %j with %s', (kind, params, key, values) => {
    expect(noticeMessage({ kind, params })).toEqual({ key, values });
  });

  it('shortens a very long value and gives null for a kind it does not know', () => {
    const title = noticeMessage({ kind: 'reflection.published', params: { title: 'x'.repeat(500) } })!.values.title;
    expect(title).toHaveLength(200);
    expect(title.endsWith('…')).toBe(true);
    expect(noticeMessage({ kind: 'exam.graded' as NoticeKind, params: {} })).toBeNull();
  });
});

describe('unreadFirst', () => {
  it('puts unread notices first and keeps the order within each group', () => {
    const items = [
      { id: 'a', readAt: '2026-01-02' },
      { id: 'b', readAt: null },
      { id: 'c', readAt: '2026-01-01' },
      { id: 'd', readAt: null },
    ];
    expect(unreadFirst(items).map((n) => n.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('insideLink', () => {
  it.each([
    ['/requests/5', '/requests/5'],
    ['/reflections/wall', '/reflections/wall'],
    [null, null],
    ['', null],
    ['https://example.com/', null],
    ['//example.com/x', null],
    ['javascript:alert(1)', null],
    ['/\\example.com', null],
  ])('keeps %j as %j', (link, expected) => {
    expect(insideLink(link)).toBe(expected);
  });
});

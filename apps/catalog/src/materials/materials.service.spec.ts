import { describe, expect, it } from '@jest/globals';
import type { CourseAccessRow, MaterialRow } from './materials.repository.js';
import { courseAccess, materialView, memberSees } from './materials.service.js';

const caller = (changes: Partial<CourseAccessRow> = {}): CourseAccessRow => ({
  course_id: 'c',
  course_status: 'published',
  owner_path: 'committee/east',
  visible: true,
  role: 'member',
  unit_path: 'committee/east/group-1',
  active: true,
  ...changes,
});

const material = (changes: Partial<MaterialRow> = {}): MaterialRow => ({
  id: 'm',
  course_id: 'c',
  lecture_id: null,
  title: 'Slides',
  file_name: 'slides.pptx',
  kind: 'pptx',
  mime_type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  size_bytes: '1024',
  source_key: 'materials/c/m/original.pptx',
  pdf_key: null,
  page_count: null,
  state: 'failed',
  failure_code: 'timeout',
  failure_message: 'The conversion took too long.',
  position: 0,
  created_at: new Date('2026-12-04T10:00:00Z'),
  archived_at: null,
  lecture_open: null,
  ...changes,
});

describe('who may see a course’s materials', () => {
  it.each([
    ['a member of a published course meant for them', {}, 'learner'],
    ['a member of a course meant for others', { visible: false }, 'none'],
    ['a member of a draft course', { course_status: 'draft' }, 'none'],
    ['a deactivated member', { active: false }, 'none'],
    ['an editor above the owner unit, even of a draft', { role: 'editor', unit_path: 'committee', course_status: 'draft' }, 'preview'],
    ['an editor of another branch, as a member', { role: 'editor', unit_path: 'committee/west' }, 'learner'],
    ['nobody, for no course', null, 'none'],
  ] as const)('%s', (_who, changes, access) => {
    expect(courseAccess(changes === null ? null : caller(changes))).toBe(access);
  });

  it('members see live materials of the course and of lectures they can open', () => {
    expect(memberSees(material())).toBe(true);
    expect(memberSees(material({ lecture_id: 'l', lecture_open: true }))).toBe(true);
    expect(memberSees(material({ lecture_id: 'l', lecture_open: false }))).toBe(false);
    expect(memberSees(material({ archived_at: new Date() }))).toBe(false);
  });
});

describe('the material view', () => {
  it('tells editors why a conversion failed, and members nothing', () => {
    expect(materialView(material(), true).problem).toEqual({ code: 'timeout', message: 'The conversion took too long.' });
    expect(materialView(material(), false).problem).toBeNull();
  });

  it('is readable only once ready with a PDF, and gives sizes as numbers and times as ISO strings', () => {
    expect(materialView(material({ state: 'converting', failure_code: null, failure_message: null }), true)).toMatchObject({
      readable: false,
      problem: null,
      sizeBytes: 1024,
      createdAt: '2026-12-04T10:00:00.000Z',
      archivedAt: null,
    });
    expect(materialView(material({ state: 'ready', pdf_key: 'materials/c/m/converted.pdf' }), false).readable).toBe(true);
    expect(materialView(material({ kind: 'image', state: 'ready' }), false).readable).toBe(false);
  });
});

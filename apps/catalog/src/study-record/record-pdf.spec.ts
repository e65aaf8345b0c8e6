import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { IssuedStudyRecord } from '#contracts';
import { findRecordFonts, renderRecordPdf } from './record-pdf.js';

const fonts = findRecordFonts();
const record = (lang: 'zh-CN' | 'en', lectures = 3): IssuedStudyRecord => ({
  code: '0123456789ABCDEFGHJKMNPQRS',
  issuedAt: '2026-12-04T01:05:00Z',
  lang,
  timeZone: 'Asia/Shanghai',
  snapshot: {
    name: '张秀英',
    login: 'zhangxy',
    unitPath: ['市委', '东区分会', '第一小组'],
    plans: [
      {
        planId: '00000000-0000-0000-0000-000000000001',
        name: '2026 年度学习计划',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        mode: 'watch_time',
        creditHoursPerLecture: null,
        requiredHours: 12,
        earnedHours: 12.5,
        status: 'met',
        closedAt: null,
        hoursByRule: [
          { rule: 'watch_time', hours: 11.5, lectures: 5 },
          { rule: 'compulsory', hours: 1, lectures: 1 },
        ],
        lectures: Array.from({ length: lectures }, (_, i) => ({
          courseTitle: '党史学习教育',
          lectureTitle: `第 ${i + 1} 讲 新时代的使命与担当`,
          completedOn: '2026-03-0' + ((i % 9) + 1),
          creditedSec: 3600 + i,
        })),
      },
    ],
    exams: [
      {
        examId: '00000000-0000-0000-0000-00000000000e',
        title: '党史学习教育 结业考试',
        passedOn: '2026-06-30',
        score: 86.5,
        maxScore: 100,
        percent: 86.5,
      },
    ],
  },
});

/** The text-free parts of the PDF, decompressed: page streams hold glyph ids, not characters, so this checks the layout ran. */
const streams = (pdf: Buffer) => {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', at);
    if (start < 0) break;
    const end = pdf.indexOf('\nendstream', start);
    try {
      out.push(inflateSync(pdf.subarray(start + 7, end)).toString('latin1'));
    } catch {
      // not a deflated stream
    }
    at = end + 10;
  }
  return out;
};

describe('findRecordFonts', () => {
  it('finds nothing where fonts-noto-cjk is not installed', () => {
    expect(findRecordFonts(['/nonexistent/fonts'])).toBeNull();
  });
});

(fonts ? describe : describe.skip)('renderRecordPdf', () => {
  it.each<['zh-CN' | 'en', number]>([
    ['zh-CN', 3],
    ['en', 3],
    ['zh-CN', 60],
  ])('draws a %s record with %d lectures as a small PDF with a link to the verification page', async (lang, lectures) => {
    const url = 'https://study.example.org/verify/0123456789ABCDEFGHJKMNPQRS';
    const pdf = await renderRecordPdf(record(lang, lectures), url, fonts!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain(`/URI (${url})`);
    expect(pdf.toString('latin1')).toContain('0123456789ABCDEFGHJKMNPQRS');
    // Subset fonts: the whole CJK collection is ~20 MB; a record stays well under 300 KB.
    expect(pdf.length).toBeLessThan(300_000);
    expect(streams(pdf).some((s) => / re\b/.test(s))).toBe(true);
    if (process.env.RECORD_PDF_OUT) writeFileSync(`${process.env.RECORD_PDF_OUT}-${lang}-${lectures}.pdf`, pdf);
  });
});

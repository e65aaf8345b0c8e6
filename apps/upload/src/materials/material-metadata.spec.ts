import { describe, expect, it } from '@jest/globals';
import { MATERIAL_EXTENSIONS } from '#contracts';
import { MATERIAL_TYPES } from '#media';
import {
  cleanFileName,
  initialState,
  isMaterialUpload,
  mimeTypeOf,
  parseMaterialMetadata,
  refusalStatus,
  sourceKeyFor,
  storedKind,
  titleFor,
} from './material-metadata.js';

const COURSE = '5b0e6a52-6f55-4d5c-9d77-0f1b1f9e2a11';
const MATERIAL = '0f8c2f3e-1d1b-4c5e-8a55-6c2c9d1e4b77';

describe('material upload metadata', () => {
  it('tells material uploads from media by purpose only', () => {
    expect(isMaterialUpload({ purpose: 'material' })).toBe(true);
    expect(isMaterialUpload({ filename: 'a.pdf' })).toBe(false);
    expect(isMaterialUpload(undefined)).toBe(false);
  });

  it.each([
    [{ filename: 'a.pdf', courseId: COURSE }, true],
    [{ filename: 'a.pdf', courseId: COURSE, lectureId: MATERIAL, title: '  Slides ' }, true],
    [{ filename: 'a.pdf', courseId: COURSE, lectureId: '' }, true],
    [{ filename: 'a.pdf', courseId: 'nope' }, /courseId must be the id of the course/],
    [{ courseId: COURSE }, /filename is required/],
    [{ filename: 'a.pdf', courseId: COURSE, lectureId: 'x' }, /lectureId must be/],
    [{ filename: 'a.pdf', courseId: COURSE, title: 'x'.repeat(201) }, /title must be at most 200/],
    [{ filename: 'a.pdf', courseId: COURSE, sha256: 'abc' }, /sha256 must be/],
  ] as const)('parses %j', (metadata, expected) => {
    const parsed = parseMaterialMetadata(metadata as Record<string, string>);
    if (expected === true) expect(parsed.ok).toBe(true);
    else expect(parsed.ok ? '' : parsed.message).toMatch(expected);
  });

  it('trims the title and leaves an empty one out', () => {
    const parsed = parseMaterialMetadata({ filename: 'a.pdf', courseId: COURSE, title: '  Slides ' });
    expect(parsed.ok && parsed.value.title).toBe('Slides');
  });

  it('keeps names printable and titles from the name without its extension', () => {
    expect(cleanFileName('../evil\u0000name.pdf')).toBe('.. evil name.pdf');
    expect(cleanFileName('  ')).toBe('material');
    expect(titleFor('政策文件.docx', undefined)).toBe('政策文件');
    expect(titleFor('.pdf', undefined)).toBe('.pdf');
    expect(titleFor('a.pdf', 'Given')).toBe('Given');
  });

  it('stores images as image under the format their bytes show', () => {
    expect(storedKind('jpeg')).toBe('image');
    expect(storedKind('docx')).toBe('docx');
    expect(sourceKeyFor(COURSE, MATERIAL, 'photo.png', 'jpeg')).toBe(`materials/${COURSE}/${MATERIAL}/original.jpg`);
    expect(sourceKeyFor(COURSE, MATERIAL, 'Slides.PPTX', 'pptx')).toBe(`materials/${COURSE}/${MATERIAL}/original.pptx`);
  });

  it('reads PDFs at once, converts Office documents, and only offers the rest for download', () => {
    expect(initialState({ kind: 'pdf', convertToPdf: false }, 'k')).toEqual({ state: 'ready', pdfKey: 'k' });
    expect(initialState({ kind: 'docx', convertToPdf: true }, 'k')).toEqual({ state: 'converting', pdfKey: null });
    expect(initialState({ kind: 'png', convertToPdf: false }, 'k')).toEqual({ state: 'ready', pdfKey: null });
  });

  it('names the encoding of GBK text and answers refusals with a fitting status', () => {
    expect(mimeTypeOf({ mime: 'text/plain; charset=utf-8', encoding: 'gbk' })).toBe('text/plain; charset=gbk');
    expect(mimeTypeOf({ mime: 'application/pdf' })).toBe('application/pdf');
    expect(refusalStatus('too_large')).toBe(413);
    expect(refusalStatus('type_not_allowed')).toBe(415);
    expect(refusalStatus('zip_bomb')).toBe(422);
  });

  it('offers the browser exactly the extensions the checks accept', () => {
    expect([...MATERIAL_EXTENSIONS].sort()).toEqual(Object.keys(MATERIAL_TYPES).sort());
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import {
  DEFAULT_PDF_LIMITS,
  DEFAULT_ZIP_LIMITS,
  MATERIAL_TYPES,
  checkMaterialSize,
  countPdfPages,
  detectTextEncoding,
  inflateWithLimit,
  inspectImage,
  inspectMaterial,
  inspectPdf,
  inspectZip,
  materialTypeFor,
  sniffMaterial,
  verifyZipContents,
  type MaterialKind,
  type ZipInspection,
} from './documents.js';
import { buildZip, deflatedZeros, officeEntries } from './zip-fixtures.js';

const MB = 1024 * 1024;
const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** A minimal valid PDF (one empty page); `extra` objects go before the xref. */
function pdf(extra = '', trailerExtra = ''): Buffer {
  return latin1(
    '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n' +
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n' +
      '4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 24 Tf 100 700 Td (Lecture 1) Tj ET\n\nendstream\nendobj\n' +
      extra +
      `xref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R ${trailerExtra}>>\nstartxref\n0\n%%EOF\n`,
  );
}

/** A compressed object stream (PDF 1.5) holding `objects` as its text. */
function objectStream(number: number, objects: string, compressed: Buffer = deflateSync(latin1(objects))): Buffer {
  return Buffer.concat([
    latin1(`${number} 0 obj\n<< /Type /ObjStm /N 1 /First 6 /Length ${compressed.length} /Filter /FlateDecode >>\nstream\n`),
    compressed,
    latin1('\nendstream\nendobj\n'),
  ]);
}

function pdfWith(...parts: Buffer[]): Buffer {
  const base = pdf().toString('latin1');
  const at = base.indexOf('xref\n');
  return Buffer.concat([latin1(base.slice(0, at)), ...parts, latin1(base.slice(at))]);
}

const PNG_HEAD = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  latin1('IHDR'),
  Buffer.alloc(600),
]);
const JPEG_HEAD = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), latin1('JFIF\0'), Buffer.alloc(600)]);
const GIF_HEAD = Buffer.concat([latin1('GIF89a'), Buffer.alloc(600)]);
const WEBP_HEAD = Buffer.concat([latin1('RIFF'), Buffer.from([0x24, 0, 0, 0]), latin1('WEBPVP8 '), Buffer.alloc(600)]);
const OLE_HEAD = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);

describe('MATERIAL_TYPES and materialTypeFor', () => {
  it.each([
    ['讲义.pdf', 'pdf', 'application/pdf', 100 * MB, false],
    ['Week 1.DOCX', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 100 * MB, true],
    ['slides.pptx', 'pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 100 * MB, true],
    ['grades.xlsx', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 100 * MB, true],
    ['board.png', 'png', 'image/png', 20 * MB, false],
    ['photo.JPG', 'jpeg', 'image/jpeg', 20 * MB, false],
    ['photo.jpeg', 'jpeg', 'image/jpeg', 20 * MB, false],
    ['anim.gif', 'gif', 'image/gif', 20 * MB, false],
    ['shot.webp', 'webp', 'image/webp', 20 * MB, false],
    ['readme.txt', 'text', 'text/plain; charset=utf-8', 5 * MB, false],
    ['notes.md', 'text', 'text/markdown; charset=utf-8', 5 * MB, false],
    ['scores.csv', 'text', 'text/csv; charset=utf-8', 5 * MB, false],
  ])('%s → %s', (name, kind, mime, maxBytes, convertToPdf) => {
    expect(materialTypeFor(name)).toMatchObject({ ok: true, kind, mime, maxBytes, convertToPdf });
  });

  it.each([
    [
      'setup.exe',
      'type_not_allowed',
      /“\.exe” files are not accepted\. Lectern accepts course materials as PDF \(\.pdf\), Word \(\.docx\)/,
    ],
    [
      'Makefile',
      'type_not_allowed',
      /no extension.*PowerPoint \(\.pptx\), Excel \(\.xlsx\), images \(\.png, \.jpg, \.jpeg, \.gif, \.webp\) and plain text/,
    ],
    ['old.doc', 'type_not_allowed', /old Office format.*save it as \.docx/],
    ['old.xls', 'type_not_allowed', /save it as \.xlsx/],
    ['macros.docm', 'macros', /can contain macros.*Save the file as \.docx/],
    ['macros.xlsm', 'macros', /as \.xlsx/],
    ['image.svg', 'type_not_allowed', /“\.svg” files are not accepted/],
    ['page.html', 'type_not_allowed', /accepts course materials/],
  ])('%s is refused (%s)', (name, code, message) => {
    const result = materialTypeFor(name);
    expect(result).toMatchObject({ ok: false, code });
    expect(!result.ok && result.message).toMatch(message);
  });

  it('every extension maps to a kind whose limits are positive', () => {
    for (const type of Object.values(MATERIAL_TYPES)) expect(type.maxBytes).toBeGreaterThan(0);
  });
});

describe('checkMaterialSize', () => {
  it('accepts up to the limit and refuses one byte more, naming both sizes', () => {
    expect(checkMaterialSize('pdf', 100 * MB)).toBeNull();
    expect(checkMaterialSize('png', 25 * MB)).toEqual({
      ok: false,
      code: 'too_large',
      message: expect.stringMatching(/This file is 25 MB; images can be at most 20 MB/),
    });
    expect(checkMaterialSize('text', 5 * MB + 1)).toMatchObject({ code: 'too_large' });
    expect(checkMaterialSize('docx', 0)).toMatchObject({ code: 'empty' });
  });
});

describe('sniffMaterial', () => {
  it.each<[string, Buffer, MaterialKind, MaterialKind]>([
    ['PDF', pdf(), 'pdf', 'pdf'],
    ['PDF with a few junk bytes before the header', Buffer.concat([latin1('\r\n  '), pdf()]), 'pdf', 'pdf'],
    ['PNG', PNG_HEAD, 'png', 'png'],
    ['JPEG', JPEG_HEAD, 'jpeg', 'jpeg'],
    ['GIF89a', GIF_HEAD, 'gif', 'gif'],
    ['GIF87a', Buffer.concat([latin1('GIF87a'), Buffer.alloc(10)]), 'gif', 'gif'],
    ['WebP', WEBP_HEAD, 'webp', 'webp'],
    ['a JPEG saved as .png is served as the JPEG it is', JPEG_HEAD, 'png', 'jpeg'],
    ['UTF-8 text', Buffer.from('第一讲：导论\nLecture 1 — Introduction\n', 'utf8'), 'text', 'text'],
  ])('%s', (_label, bytes, declared, kind) => {
    expect(sniffMaterial(bytes, declared)).toMatchObject({ ok: true, kind, needsZipInspection: false });
  });

  it('lets fixed signatures win over a PDF header further in (polyglots), and text quoting a PDF header stay text', () => {
    const pngWithPdf = Buffer.concat([PNG_HEAD.subarray(0, 40), latin1('%PDF-1.7'), Buffer.alloc(100)]);
    expect(sniffMaterial(pngWithPdf, 'png')).toMatchObject({ ok: true, kind: 'png' });
    expect(sniffMaterial(pngWithPdf, 'pdf')).toMatchObject({ ok: false, code: 'mismatch' });
    expect(sniffMaterial(latin1('Every PDF starts with %PDF-1.x.\n'), 'text')).toMatchObject({ ok: true, kind: 'text' });
    expect(sniffMaterial(latin1('%PDF-1.4\n'), 'text')).toMatchObject({ ok: false, code: 'mismatch' });
  });

  it('asks for a ZIP inspection of an Office document', () => {
    expect(sniffMaterial(buildZip(officeEntries('pptx')).subarray(0, 4096), 'pptx')).toEqual({
      ok: true,
      kind: 'pptx',
      needsZipInspection: true,
    });
  });

  it('names the encoding of text: UTF-8 first, then GBK', () => {
    const gbk = Buffer.from([0xb5, 0xda, 0xd2, 0xbb, 0xbd, 0xb2, 0xa3, 0xba, 0xb5, 0xbc, 0xc2, 0xdb, 0x0a]); // 第一讲：导论
    expect(sniffMaterial(gbk, 'text')).toMatchObject({ ok: true, encoding: 'gbk' });
    expect(sniffMaterial(Buffer.from('plain ascii', 'utf8'), 'text')).toMatchObject({ ok: true, encoding: 'utf-8' });
  });

  it('accepts a UTF-8 character cut in half at the end of the head', () => {
    const utf8 = Buffer.from('讲义'.repeat(10), 'utf8');
    expect(sniffMaterial(utf8.subarray(0, utf8.length - 1), 'text')).toMatchObject({ ok: true, encoding: 'utf-8' });
  });

  it('refuses a PNG renamed .pdf with the exact message', () => {
    expect(sniffMaterial(PNG_HEAD, 'pdf')).toEqual({
      ok: false,
      code: 'mismatch',
      message: 'This file is a PNG image, not a PDF as its name says. Rename it or upload the right file.',
    });
  });

  it.each<[string, Buffer, MaterialKind, RegExp]>([
    ['a PDF renamed .docx', pdf(), 'docx', /a PDF, not a Word document \(\.docx\)/],
    ['a DOCX renamed .pptx', buildZip(officeEntries('docx')), 'pptx', /a Word document \(\.docx\), not a PowerPoint presentation/],
    ['a ZIP renamed .pdf', buildZip([{ name: 'a.txt', data: 'x' }]), 'pdf', /a ZIP archive, not a PDF/],
    ['an old .doc renamed .docx', OLE_HEAD, 'docx', /old-format or password-protected Office file.*save it as \.docx/],
    ['an .exe renamed .pdf', Buffer.concat([latin1('MZ\x90\x00'), Buffer.alloc(100)]), 'pdf', /a program, not a PDF/],
    [
      'an ELF binary renamed .txt',
      Buffer.concat([latin1('\x7fELF\x02\x01\x01'), Buffer.alloc(100, 1)]),
      'text',
      /a program, not a plain text file/,
    ],
    [
      'an MP4 renamed .pptx',
      Buffer.concat([Buffer.from([0, 0, 0, 0x20]), latin1('ftypisom'), Buffer.alloc(100)]),
      'pptx',
      /a video or audio file/,
    ],
    [
      'a HEIC photo renamed .jpg',
      Buffer.concat([Buffer.from([0, 0, 0, 0x18]), latin1('ftypheic'), Buffer.alloc(100)]),
      'jpeg',
      /a HEIC photo, not a JPEG image/,
    ],
    ['text renamed .pdf', latin1('just some notes\n'), 'pdf', /a plain text file, not a PDF/],
    ['HTML renamed .png', latin1('<!DOCTYPE html><html><body>hi</body></html>'), 'png', /a plain text file, not a PNG image/],
    ['an image renamed .txt', PNG_HEAD, 'text', /a PNG image, not a plain text file/],
    ['a PDF renamed .jpg', pdf(), 'jpeg', /a PDF, not a JPEG image/],
  ])('refuses %s', (_label, bytes, declared, message) => {
    const result = sniffMaterial(bytes, declared);
    expect(result).toMatchObject({ ok: false, code: 'mismatch' });
    expect(!result.ok && result.message).toMatch(message);
  });

  it.each([
    ['binary garbage with NUL bytes', Buffer.from([0x12, 0x00, 0x9f, 0x33, 0x00, 0xfe, 0x01])],
    ['binary garbage without NULs (control characters)', Buffer.from(Array.from({ length: 400 }, (_, i) => ((i * 37) % 255) + 1))],
    ['UTF-16 text (NUL bytes)', Buffer.from('\ufeffhello', 'utf16le')],
    ['bytes that are neither UTF-8 nor GBK', Buffer.from('abc\xff\xff\xffdef', 'latin1')],
  ])('refuses %s as .txt', (_label, bytes) => {
    const result = sniffMaterial(bytes, 'text');
    expect(result).toMatchObject({ ok: false, code: 'mismatch' });
    expect(!result.ok && result.message).toMatch(/not plain text.*UTF-8/);
  });

  it('refuses unknown binary declared as a PDF without calling it text', () => {
    const result = sniffMaterial(Buffer.from([0x01, 0x02, 0x03, 0x00, 0xff]), 'pdf');
    expect(!result.ok && result.message).toMatch(/not a PDF as its name says, and not any format Lectern accepts/);
  });

  it('refuses an empty head', () => expect(sniffMaterial(new Uint8Array(0), 'pdf')).toMatchObject({ ok: false, code: 'empty' }));

  it('never throws and always answers ok or a refusal with a message, for any bytes and kind', () => {
    const kinds: MaterialKind[] = ['pdf', 'docx', 'pptx', 'xlsx', 'png', 'jpeg', 'gif', 'webp', 'text'];
    const prefixes = ['', '%PDF-', 'PK\x03\x04', '\x89PNG\r\n\x1a\n', '\xff\xd8\xff', 'GIF89a', 'RIFF\0\0\0\0WEBP', 'PK\x03\x04\x14\0\0\0'];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...kinds), (prefix, rest, kind) => {
        const result = sniffMaterial(Buffer.concat([latin1(prefix), rest]), kind);
        expect(result.ok || result.message.length > 20).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('detectTextEncoding', () => {
  it.each([
    ['tabs and CRLF', 'a\tb\r\nc', 'utf-8'],
    ['an ESC colour code', 'ok \x1b[32mgreen\x1b[0m', 'utf-8'],
    ['one stray control character in a long text', `${'x'.repeat(200)}\x07`, 'utf-8'],
    ['many control characters', '\x01\x02\x03\x04abc', null],
    ['GBK with a four-byte GB 18030 sequence', 'ab\x81\x30\x81\x30cd', 'gbk'],
    ['GBK cut after a lead byte', 'ab\xb5\xda\xd2', 'gbk'],
    ['a GBK lead byte followed by a space', 'ab\xb5 cd', null],
    ['0xFF, which no GBK sequence contains', 'ab\xffcd', null],
  ])('%s → %s', (_label, content, expected) => expect(detectTextEncoding(latin1(content))).toBe(expected));
});

describe('inspectImage', () => {
  const png = (width: number, height: number) => {
    const b = Buffer.from(PNG_HEAD);
    b.writeUInt32BE(width, 16);
    b.writeUInt32BE(height, 20);
    return b;
  };
  const segment = (marker: number, body: Buffer) =>
    Buffer.concat([Buffer.from([0xff, marker]), Buffer.from([(body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  const jpeg = (width: number, height: number) =>
    Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xe0, Buffer.concat([latin1('JFIF\0'), Buffer.alloc(9)])),
      segment(0xe1, Buffer.concat([latin1('Exif\0\0'), Buffer.alloc(5000, 0xc0)])),
      Buffer.from([0xff]), // a fill byte before the next marker
      segment(0xc2, Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3])),
      segment(0xda, Buffer.alloc(10)),
    ]);
  const gif = (width: number, height: number) => {
    const b = Buffer.from(GIF_HEAD);
    b.writeUInt16LE(width, 6);
    b.writeUInt16LE(height, 8);
    return b;
  };
  const webp = (chunk: string, body: Buffer) =>
    Buffer.concat([latin1('RIFF'), Buffer.alloc(4), latin1(`WEBP${chunk}`), Buffer.alloc(4), body, Buffer.alloc(32)]);
  const vp8 = (width: number, height: number) => {
    const body = Buffer.alloc(10);
    body.set([0x9d, 0x01, 0x2a], 3);
    body.writeUInt16LE(width, 6);
    body.writeUInt16LE(height, 8);
    return webp('VP8 ', body);
  };
  const vp8l = (width: number, height: number) => {
    const body = Buffer.alloc(5);
    body[0] = 0x2f;
    body.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
    return webp('VP8L', body);
  };
  const vp8x = (width: number, height: number) => {
    const body = Buffer.alloc(10);
    body.writeUIntLE(width - 1, 4, 3);
    body.writeUIntLE(height - 1, 7, 3);
    return webp('VP8X', body);
  };

  it.each<[string, Buffer, string, number, number]>([
    ['PNG', png(1920, 1080), 'png', 1920, 1080],
    ['progressive JPEG behind a 5 KB EXIF block', jpeg(4032, 3024), 'jpeg', 4032, 3024],
    ['GIF', gif(480, 270), 'gif', 480, 270],
    ['lossy WebP', vp8(1280, 720), 'webp', 1280, 720],
    ['lossless WebP', vp8l(800, 600), 'webp', 800, 600],
    ['extended WebP', vp8x(3000, 2000), 'webp', 3000, 2000],
    ['PNG at exactly 10,000 × 10,000', png(10_000, 10_000), 'png', 10_000, 10_000],
  ])('reads %s', (_label, bytes, kind, width, height) => {
    expect(inspectImage(bytes)).toEqual({ ok: true, kind, width, height });
  });

  it.each([
    [
      'a 50,000 × 50,000 PNG (a pixel bomb in a small file)',
      png(50_000, 50_000),
      /50000 × 50000 pixels; Lectern accepts images up to 100 megapixels and 20,000 pixels on a side/,
    ],
    ['a JPEG wider than 20,000 pixels', jpeg(20_001, 100), /20001 × 100 pixels/],
    ['a lossless WebP of 16,384 × 16,384 (268 megapixels)', vp8l(16_384, 16_384), /16384 × 16384/],
    ['an extended WebP of 16,777,216 pixels a side', vp8x(16_777_216, 1), /16777216 × 1/],
  ])('refuses %s', (_label, bytes, message) => {
    expect(inspectImage(bytes)).toMatchObject({ ok: false, code: 'too_large', message: expect.stringMatching(message) });
  });

  it.each([
    ['a JPEG cut before its frame header', jpeg(100, 100).subarray(0, 3000)],
    ['a PNG without IHDR first', Buffer.concat([PNG_HEAD.subarray(0, 12), latin1('tEXt'), Buffer.alloc(20)])],
    ['a zero-width GIF', gif(0, 10)],
  ])('refuses %s as unreadable', (_label, bytes) => {
    expect(inspectImage(bytes)).toMatchObject({ ok: false, code: 'unreadable' });
  });

  it('refuses what is not an image', () => expect(inspectImage(pdf())).toMatchObject({ ok: false, code: 'mismatch' }));

  it('never throws on arbitrary bytes after an image signature', () => {
    const prefixes = [
      '\x89PNG\r\n\x1a\n',
      '\xff\xd8\xff',
      'GIF89a',
      'RIFF\0\0\0\0WEBPVP8 ',
      'RIFF\0\0\0\0WEBPVP8L',
      'RIFF\0\0\0\0WEBPVP8X',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 400 }), (prefix, rest) => {
        expect(typeof inspectImage(Buffer.concat([latin1(prefix), rest])).ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('inspectZip', () => {
  it.each(['docx', 'pptx', 'xlsx'] as const)('recognises a %s package and lists its entries', (kind) => {
    const result = inspectZip(buildZip(officeEntries(kind)));
    expect(result).toMatchObject({ ok: true, kind, zip64: false, embeddedArchives: [] });
    expect(result.ok && result.entries.map((entry) => entry.name)).toContain('[Content_Types].xml');
    expect(result.ok && result.totalUncompressedBytes).toBeGreaterThan(400);
  });

  it('reads the ZIP64 end of central directory', () => {
    expect(inspectZip(buildZip(officeEntries('docx'), { zip64: true }))).toMatchObject({ ok: true, kind: 'docx', zip64: true });
  });

  it('finds the end record behind a file comment', () => {
    expect(inspectZip(buildZip(officeEntries('xlsx'), { comment: 'PK\x05\x06 looks like a record but is not' }))).toMatchObject({
      ok: true,
      kind: 'xlsx',
    });
  });

  it('falls back to the main part name when [Content_Types].xml names no Office type, and reports plain ZIPs as kind null', () => {
    const entries = officeEntries('pptx');
    entries[0] = { name: '[Content_Types].xml', data: '<Types/>' };
    expect(inspectZip(buildZip(entries))).toMatchObject({ ok: true, kind: 'pptx' });
    expect(inspectZip(buildZip([{ name: 'notes/a.txt', data: 'hello' }]))).toMatchObject({ ok: true, kind: null });
  });

  it('flags embedded archives without refusing them (embedded workbooks in slides are common)', () => {
    const result = inspectZip(
      buildZip(
        officeEntries('pptx', [
          { name: 'ppt/embeddings/Microsoft_Excel_Worksheet.xlsx', data: buildZip(officeEntries('xlsx')), method: 0 },
        ]),
      ),
    );
    expect(result).toMatchObject({ ok: true, kind: 'pptx', embeddedArchives: ['ppt/embeddings/Microsoft_Excel_Worksheet.xlsx'] });
  });

  it.each([
    ['../../etc/passwd'],
    ['word/../../evil.xml'],
    ['/etc/cron.d/job'],
    ['C:/Windows/evil.dll'],
    ['word\\..\\..\\evil.xml'],
    ['..'],
  ])('refuses the entry name %s', (name) => {
    const result = inspectZip(buildZip(officeEntries('docx', [{ name, data: 'x' }])));
    expect(result).toMatchObject({ ok: false, code: 'unsafe_path' });
    expect(!result.ok && result.message).toMatch(/points outside the document/);
  });

  it.each([['[Content_Types].xml'], ['WORD/document.xml'], ['word\\document.xml']])('refuses a second part named %s', (name) => {
    const result = inspectZip(buildZip(officeEntries('docx', [{ name, data: 'x' }])));
    expect(result).toMatchObject({ ok: false, code: 'unsafe_path', message: expect.stringMatching(/two parts named/) });
  });

  it('allows names that merely contain two dots', () => {
    expect(inspectZip(buildZip(officeEntries('docx', [{ name: 'word/media/image..png', data: 'x' }])))).toMatchObject({ ok: true });
  });

  it('refuses encrypted entries', () => {
    const result = inspectZip(buildZip(officeEntries('docx', [{ name: 'word/secret.xml', data: 'x', flags: 0x01 }])));
    expect(result).toEqual({ ok: false, code: 'encrypted', message: expect.stringMatching(/encrypted\. Remove the password/) });
  });

  it.each([['word/vbaProject.bin'], ['xl/VBAPROJECT.BIN'], ['word/vbaData.xml'], ['word/activeX/activeX1.bin']])(
    'refuses the macro part %s',
    (name) => {
      const result = inspectZip(buildZip(officeEntries('docx', [{ name, data: 'Attribute VB_Name' }])));
      expect(result).toMatchObject({ ok: false, code: 'macros' });
      expect(!result.ok && result.message).toMatch(/macros or ActiveX controls, which Lectern does not accept/);
    },
  );

  it('refuses a macro-enabled content type even when the VBA part is missing', () => {
    expect(inspectZip(buildZip(officeEntries('docm')))).toMatchObject({
      ok: false,
      code: 'macros',
      message: expect.stringMatching(/macro-enabled/),
    });
  });

  it('refuses more entries than the limit from the end record, before reading them', () => {
    const result = inspectZip(buildZip(officeEntries('docx'), { declaredEntryCount: 60_000 }));
    expect(result).toMatchObject({
      ok: false,
      code: 'too_many_entries',
      message: expect.stringMatching(/60,000 parts; Lectern accepts at most 10,000/),
    });
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `word/media/p${i}.xml`, data: 'x' }));
    expect(inspectZip(buildZip(officeEntries('docx', many)), { ...DEFAULT_ZIP_LIMITS, maxEntries: 20 })).toMatchObject({
      code: 'too_many_entries',
    });
  });

  describe('zip bombs', () => {
    let bomb: Buffer;
    beforeAll(async () => {
      bomb = await deflatedZeros(200 * MB);
    }, 60_000);

    it('refuses one entry of 200 MB of zeros from its compression ratio', () => {
      expect(bomb.length).toBeLessThan(1 * MB);
      const zip = buildZip(
        officeEntries('docx', [{ name: 'word/media/zeros.bin', compressed: bomb, declaredUncompressedSize: 200 * MB, crc: 0 }]),
      );
      const result = inspectZip(zip);
      expect(result).toMatchObject({ ok: false, code: 'zip_bomb' });
      expect(!result.ok && result.message).toMatch(
        /“word\/media\/zeros\.bin” of this document would expand \d+ times when opened \(at most 100 is allowed\)/,
      );
    });

    it('inflateWithLimit stops the same bytes at the limit instead of inflating 200 MB', () => {
      expect(inflateWithLimit(bomb, 1 * MB)).toMatchObject({
        ok: false,
        code: 'zip_bomb',
        message: expect.stringMatching(/more than 1 MB/),
      });
      const small = inflateWithLimit(bomb.subarray(0, 100), 1 * MB); // DEFLATE expands at most ~1,032 times
      expect(small.ok || small.code).not.toBe('zip_bomb');
    });

    it('refuses a package whose declared sizes add up past 512 MB, even at modest ratios', () => {
      const parts = Array.from({ length: 6 }, (_, i) => ({
        name: `ppt/media/video${i}.bin`,
        compressed: Buffer.alloc(2 * MB),
        declaredUncompressedSize: 100 * MB,
        crc: 0,
      }));
      const result = inspectZip(buildZip(officeEntries('pptx', parts)));
      expect(result).toMatchObject({ ok: false, code: 'zip_bomb', message: expect.stringMatching(/more than 512 MB/) });
    });

    it('refuses a [Content_Types].xml whose header lies about its size', () => {
      const entries = officeEntries('docx');
      const xml = `${'<Types>'}${' '.repeat(5 * MB)}</Types>`;
      entries[0] = { name: '[Content_Types].xml', data: xml, declaredUncompressedSize: 900 };
      const result = inspectZip(buildZip(entries));
      expect(result).toMatchObject({
        ok: false,
        code: 'zip_bomb',
        message: expect.stringMatching(/table of contents does not match its contents/),
      });
    });

    it('holds small entries to the ratio only above the grace size', () => {
      const repetitive = '<c r="A1"/>'.repeat(5000); // 55 KB that deflates several hundred times
      expect(inspectZip(buildZip(officeEntries('xlsx', [{ name: 'xl/worksheets/sheet1.xml', data: repetitive }])))).toMatchObject({
        ok: true,
      });
    });
  });

  it.each([
    ['empty input', Buffer.alloc(0)],
    ['only a local header signature', latin1('PK\x03\x04')],
    ['a truncated package', buildZip(officeEntries('docx')).subarray(0, 300)],
    [
      'an end record pointing past the file',
      (() => {
        const zip = buildZip(officeEntries('docx'));
        zip.writeUInt32LE(0x7fffffff, zip.length - 6);
        return zip;
      })(),
    ],
  ])('refuses %s as damaged', (_label, bytes) => {
    expect(inspectZip(bytes)).toMatchObject({
      ok: false,
      code: 'unreadable',
      message: expect.stringMatching(/damaged or was only partly uploaded/),
    });
  });

  it('refuses entries whose data overlap (the overlapping-entry zip bomb)', () => {
    const entries = officeEntries('docx');
    const body = Buffer.from('x'.repeat(50));
    entries.splice(1, 0, { name: 'word/a.bin', data: body, method: 0, declaredCompressedSize: 150, declaredUncompressedSize: 150 });
    expect(inspectZip(buildZip(entries))).toMatchObject({
      ok: false,
      code: 'zip_bomb',
      message: expect.stringMatching(/does not match its contents/),
    });
  });

  it('refuses a local header that names another file than the central directory', () => {
    const zip = buildZip(officeEntries('docx'));
    const at = zip.indexOf('word/document.xml');
    zip.write('../../document', at, 'latin1');
    expect(inspectZip(zip)).toMatchObject({ ok: false, code: 'zip_bomb' });
  });

  it('refuses compression methods Office does not write', () => {
    expect(inspectZip(buildZip(officeEntries('docx', [{ name: 'word/x.xml', data: 'x', method: 12 }])))).toMatchObject({
      ok: false,
      code: 'unreadable',
      message: expect.stringMatching(/compression method \(12\)/),
    });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = inspectZip(bytes);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on truncated or corrupted packages, and refuses what it cannot read', () => {
    const zips = [buildZip(officeEntries('docx')), buildZip(officeEntries('xlsx'), { zip64: true })];
    fc.assert(
      fc.property(
        fc.constantFrom(...zips),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (zip, cut, flips) => {
          const bytes = Buffer.from(zip.subarray(0, zip.length - (cut % zip.length)));
          for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
          const result = inspectZip(bytes);
          expect(result.ok ? Array.isArray(result.entries) : result.message.length > 20).toBe(true);
          if (result.ok) expect(typeof verifyZipContents(bytes, result).ok).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('verifyZipContents', () => {
  const inspected = (zip: Buffer): ZipInspection => {
    const result = inspectZip(zip);
    if (!result.ok) throw new Error(result.message);
    return result;
  };

  it('accepts a package whose every part inflates to its declared size and CRC', () => {
    const zip = buildZip(officeEntries('pptx', [{ name: 'ppt/media/image1.png', data: PNG_HEAD, method: 0 }]));
    expect(verifyZipContents(zip, inspected(zip))).toEqual({ ok: true });
  });

  it('refuses a part that inflates past the size its header declares, without inflating all of it', () => {
    const zip = buildZip(
      officeEntries('docx', [{ name: 'word/media/big.xml', data: 'a'.repeat(2 * MB), declaredUncompressedSize: 90_000 }]),
    );
    expect(verifyZipContents(zip, inspected(zip))).toMatchObject({
      ok: false,
      code: 'zip_bomb',
      message: expect.stringMatching(/“word\/media\/big\.xml” of this document is not the size its table of contents says/),
    });
  });

  it('refuses a part that inflates to less than declared', () => {
    const zip = buildZip(officeEntries('docx', [{ name: 'word/short.xml', data: 'abc', declaredUncompressedSize: 10 }]));
    expect(verifyZipContents(zip, inspected(zip))).toMatchObject({ ok: false, code: 'zip_bomb' });
  });

  it('refuses a part whose CRC-32 does not match (damaged)', () => {
    const zip = buildZip(officeEntries('xlsx', [{ name: 'xl/styles.xml', data: '<styleSheet/>', crc: 12345 }]));
    expect(verifyZipContents(zip, inspected(zip))).toMatchObject({
      ok: false,
      code: 'unreadable',
      message: expect.stringMatching(/“xl\/styles\.xml” .* is damaged/),
    });
  });

  it('refuses deflated data that is not DEFLATE', () => {
    const zip = buildZip(
      officeEntries('xlsx', [{ name: 'xl/x.xml', compressed: Buffer.from([0xff, 0xff, 0xff, 0xff]), declaredUncompressedSize: 40 }]),
    );
    expect(verifyZipContents(zip, inspected(zip))).toMatchObject({ ok: false, code: 'unreadable' });
  });
});

describe('verifyZipContents and external relationships', () => {
  const rels = (...relationships: string[]) =>
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships.join('')}</Relationships>`;
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const check = (xml: string) => {
    const zip = buildZip(officeEntries('docx', [{ name: 'word/_rels/document.xml.rels', data: xml }]));
    const inspection = inspectZip(zip);
    if (!inspection.ok) throw new Error(inspection.message);
    return verifyZipContents(zip, inspection);
  };

  it.each([
    ['internal parts', `<Relationship Id="rId1" Type="${R}/styles" Target="styles.xml"/>`],
    ['a web hyperlink', `<Relationship Id="rId2" Type="${R}/hyperlink" Target="https://example.edu/syllabus" TargetMode="External"/>`],
    [
      'a mail link with single quotes',
      `<Relationship Id='rId3' Type='${R}/hyperlink' Target='mailto:tutor@example.edu' TargetMode='External'/>`,
    ],
  ])('accepts %s', (_label, relationship) => expect(check(rels(relationship))).toEqual({ ok: true }));

  it.each([
    [
      'a remote template',
      `<Relationship Id="rId1" Type="${R}/attachedTemplate" Target="http://203.0.113.5/t.dotm" TargetMode="External"/>`,
      /http:\/\/203\.0\.113\.5\/t\.dotm/,
    ],
    [
      'a linked OLE object (Follina)',
      `<Relationship Id="rId9" Type="${R}/oleObject" Target="mhtml:http://x.test/a.html!x-usc:http://x.test/a.html" TargetMode="External"/>`,
      /mhtml:/,
    ],
    [
      'a linked picture on a share',
      `<Relationship Id="rId4" Type="${R}/image" Target="\\\\server\\share\\a.png" TargetMode="External"/>`,
      /server/,
    ],
    [
      'a hyperlink to a local file',
      `<Relationship Id="rId5" Type="${R}/hyperlink" Target="file:///C:/Windows/System32/calc.exe" TargetMode="External"/>`,
      /file:/,
    ],
  ])('refuses %s', (_label, relationship, target) => {
    expect(check(rels(relationship))).toMatchObject({
      ok: false,
      code: 'active_content',
      message: expect.stringMatching(/loads something from outside itself/),
    });
    const result = check(rels(relationship));
    expect(!result.ok && result.message).toMatch(target);
  });
});

describe('inflateWithLimit', () => {
  it('inflates within the limit and refuses damaged data', () => {
    const data = Buffer.from('hello '.repeat(100));
    expect(inflateWithLimit(deflateSync(data), 1000, 'zlib')).toEqual({ ok: true, data });
    expect(inflateWithLimit(deflateSync(data), 599, 'zlib')).toMatchObject({ ok: false, code: 'zip_bomb' });
    expect(inflateWithLimit(Buffer.from([0xff, 0xff, 0xff, 0xff]), 1000)).toMatchObject({ ok: false, code: 'unreadable' });
  });
});

describe('inspectPdf', () => {
  it('accepts a minimal PDF', () => {
    expect(inspectPdf(pdf())).toEqual({
      ok: true,
      version: '1.7',
      encrypted: false,
      openAction: false,
      objectStreamsScanned: 0,
      unscannedObjectStreams: 0,
    });
  });

  it('accepts an OpenAction that only sets the view, and notes it', () => {
    const doc = pdf().toString('latin1').replace('/Type /Catalog', '/Type /Catalog /OpenAction [3 0 R /Fit]');
    expect(inspectPdf(latin1(doc))).toMatchObject({ ok: true, openAction: true });
  });

  it('notes a /Encrypt dictionary when there is nothing it cannot scan', () => {
    expect(inspectPdf(pdf('', '/Encrypt 9 0 R '))).toMatchObject({ ok: true, encrypted: true });
  });

  it('scans objects inside compressed object streams and accepts clean ones', () => {
    expect(inspectPdf(pdfWith(objectStream(9, '10 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')))).toMatchObject({
      ok: true,
      objectStreamsScanned: 1,
    });
  });

  const activeCases: Array<[string, Buffer]> = [
    ['/JavaScript', pdf('5 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n')],
    ['/J#61vaScript (hex-escaped name)', pdf('5 0 obj\n<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>\nendobj\n')],
    ['/JS alone', pdf('5 0 obj\n<< /JS 6 0 R >>\nendobj\n')],
    [
      '/OpenAction running JS',
      latin1(pdf().toString('latin1').replace('/Type /Catalog', '/Type /Catalog /OpenAction << /S /JavaScript /JS (x) >>')),
    ],
    ['/AA additional actions', pdf('5 0 obj\n<< /Type /Annot /AA << /E 6 0 R >> >>\nendobj\n')],
    ['/Launch', pdf('5 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n')],
    ['/Launch written #4C#61unch', pdf('5 0 obj\n<< /S /#4C#61unch /F (cmd.exe) >>\nendobj\n')],
    ['/EmbeddedFile', pdf('5 0 obj\n<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream\nendobj\n')],
    ['/EmbeddedFiles name tree', pdf('5 0 obj\n<< /EmbeddedFiles 6 0 R >>\nendobj\n')],
    ['/RichMedia', pdf('5 0 obj\n<< /Subtype /RichMedia >>\nendobj\n')],
    ['/XFA form', pdf('5 0 obj\n<< /Fields [] /XFA 6 0 R >>\nendobj\n')],
    ['JavaScript hidden in a compressed object stream', pdfWith(objectStream(9, '10 0 << /S /JavaScript /JS (app.launchURL\\("x"\\)) >>'))],
    ['a hex-escaped name in a compressed object stream', pdfWith(objectStream(9, '10 0 << /S /J#61v#61Script >>'))],
    [
      'JavaScript in an uncompressed object stream',
      pdfWith(latin1('9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length 20 >>\nstream\n10 0 << /JS (x) >>\nendstream\nendobj\n')),
    ],
  ];
  it.each(activeCases)('refuses %s with the exact message', (_label, bytes) => {
    expect(inspectPdf(bytes)).toEqual({
      ok: false,
      code: 'active_content',
      message:
        'This PDF contains JavaScript or other active content, which Lectern does not accept. Print it to a new PDF and upload that.',
    });
  });

  it.each([
    [
      'an object placed inside another stream’s data',
      '5 0 obj\n<< /Length 60 >>\nstream\n6 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\nendstream\nendobj\n',
    ],
    ['an object after a `stream` keyword in a comment', '% >>stream\n6 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n% endstream\n'],
  ])('refuses JavaScript in %s', (_label, extra) => {
    expect(inspectPdf(pdf(extra))).toMatchObject({ ok: false, code: 'active_content' });
  });

  it('treats a stream with /N and /First as an object stream even when /Type is an indirect reference', () => {
    const compressed = deflateSync(latin1('10 0 << /S /JavaScript /JS (x) >>'));
    const stream = Buffer.concat([
      latin1(`9 0 obj\n<< /Type 7 0 R /N 1 /First 6 /Length ${compressed.length} /Filter /FlateDecode >>\nstream\n`),
      compressed,
      latin1('\nendstream\nendobj\n7 0 obj\n/ObjStm\nendobj\n'),
    ]);
    expect(inspectPdf(pdfWith(stream))).toMatchObject({ ok: false, code: 'active_content' });
  });

  it('does not mistake bytes inside page or image data for names', () => {
    const image = Buffer.concat([
      latin1('5 0 obj\n<< /Type /XObject /Subtype /Image /Length 12 >>\nstream\n'),
      latin1('xx /JS yy /AA'),
      latin1('\nendstream\nendobj\n'),
    ]);
    expect(inspectPdf(pdfWith(image))).toMatchObject({ ok: true });
  });

  it('does not take names that only start like active ones for them', () => {
    expect(inspectPdf(pdf('5 0 obj\n<< /JSON 1 /AAA 2 /Launcher 3 >>\nendobj\n'))).toMatchObject({ ok: true });
  });

  it('refuses an object stream that inflates past its limit', () => {
    const big = deflateSync(Buffer.alloc(3 * MB, 0x20));
    const result = inspectPdf(pdfWith(objectStream(9, '', big)), { ...DEFAULT_PDF_LIMITS, maxObjectStreamBytes: 1 * MB });
    expect(result).toMatchObject({
      ok: false,
      code: 'too_complex',
      message: expect.stringMatching(/cannot check safely\. Print it to a new PDF/),
    });
  });

  it('refuses when object streams together pass the total budget', () => {
    const streams = [9, 11, 13].map((n) => objectStream(n, `${n + 1} 0 << /Type /Font >>${' '.repeat(600 * 1024)}`));
    expect(inspectPdf(pdfWith(...streams), { ...DEFAULT_PDF_LIMITS, maxInflatedTotalBytes: 1 * MB })).toMatchObject({
      code: 'too_complex',
    });
    expect(inspectPdf(pdfWith(...streams), { ...DEFAULT_PDF_LIMITS, maxInflatedTotalBytes: 4 * MB })).toMatchObject({
      ok: true,
      objectStreamsScanned: 3,
    });
  });

  it('refuses object streams with filters it cannot decode', () => {
    const stream = latin1(
      '9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter [/ASCIIHexDecode /FlateDecode] /Length 2 >>\nstream\n00\nendstream\nendobj\n',
    );
    expect(inspectPdf(pdfWith(stream))).toMatchObject({ ok: false, code: 'too_complex' });
  });

  it('refuses object streams with a predictor, which would change the text after inflating', () => {
    const compressed = deflateSync(latin1('10 0 << /Type /Font >>'));
    const stream = Buffer.concat([
      latin1(
        `9 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >> /Length ${compressed.length} >>\nstream\n`,
      ),
      compressed,
      latin1('\nendstream\nendobj\n'),
    ]);
    expect(inspectPdf(pdfWith(stream))).toMatchObject({ ok: false, code: 'too_complex' });
  });

  it('refuses an encrypted PDF whose object streams cannot be scanned, unless the caller re-renders it', () => {
    const cipher = objectStream(9, '', Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256)));
    const base = pdfWith(cipher).toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 20 0 R');
    expect(inspectPdf(latin1(base))).toMatchObject({
      ok: false,
      code: 'encrypted',
      message: expect.stringMatching(/encrypted, so Lectern cannot check it/),
    });
    expect(inspectPdf(latin1(base), { ...DEFAULT_PDF_LIMITS, allowUnscannedEncryptedStreams: true })).toMatchObject({
      ok: true,
      encrypted: true,
      unscannedObjectStreams: 1,
    });
    expect(inspectPdf(pdfWith(cipher))).toMatchObject({ ok: false, code: 'unreadable', message: expect.stringMatching(/damaged/) });
  });

  it.each([
    ['no header', latin1('hello\n%%EOF\n'), 'mismatch', /not a PDF/],
    ['no end-of-file marker (cut short)', pdf().subarray(0, 200), 'unreadable', /incomplete/],
    ['the marker far from the end', Buffer.concat([pdf(), Buffer.alloc(4096, 0x20)]), 'unreadable', /incomplete/],
  ])('refuses a PDF with %s', (_label, bytes, code, message) => {
    expect(inspectPdf(bytes)).toMatchObject({ ok: false, code, message: expect.stringMatching(message) });
  });

  it('accepts a PDF with a little trailing data after %%EOF', () => {
    expect(inspectPdf(Buffer.concat([pdf(), latin1('\r\n\0\0')]))).toMatchObject({ ok: true });
  });

  it('never throws on arbitrary bytes after a PDF header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), (bytes, withEof) => {
        const input = Buffer.concat([latin1('%PDF-1.5\n'), bytes, latin1(withEof ? '\n%%EOF\n' : '')]);
        expect(typeof inspectPdf(input).ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('countPdfPages', () => {
  it('counts pages as pdf.js sees them, in a worker thread, leaving the bytes as they were', async () => {
    const kids = (n: number) => Array.from({ length: n }, (_, i) => `${10 + i} 0 R`).join(' ');
    const pages = (n: number) =>
      Array.from({ length: n }, (_, i) => `${10 + i} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n`).join('');
    const three = latin1(
      '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
        `2 0 obj\n<< /Type /Pages /Kids [${kids(3)}] /Count 3 >>\nendobj\n${pages(3)}` +
        'trailer\n<< /Root 1 0 R >>\n%%EOF\n',
    );
    const before = Buffer.from(three);
    await expect(countPdfPages(three)).resolves.toBe(3);
    expect(three.equals(before)).toBe(true);
    await expect(countPdfPages(pdf())).resolves.toBe(1);
  }, 30_000);

  it('rejects what pdf.js cannot open, and a count that takes too long', async () => {
    await expect(countPdfPages(latin1('%PDF-1.4\n1 0 obj\n<< /Type /Nothing >>\nendobj\n%%EOF\n'))).rejects.toThrow();
    await expect(countPdfPages(pdf(), { timeoutMs: 1 })).rejects.toThrow(/did not open the PDF in 1 ms/);
  }, 30_000);
});

describe('inspectMaterial', () => {
  const jpegWithFrame = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
    latin1('JFIF\0'),
    Buffer.alloc(9),
    Buffer.from([0xff, 0xc0, 0, 11, 8, 0x02, 0xd0, 0x05, 0x00, 3]),
    Buffer.alloc(20),
  ]);

  it.each<[string, string, Buffer, Record<string, unknown>]>([
    [
      'a PDF',
      '讲义.pdf',
      pdf(),
      { kind: 'pdf', mime: 'application/pdf', convertToPdf: false, pdf: expect.objectContaining({ version: '1.7' }) },
    ],
    [
      'a DOCX',
      'week1.docx',
      buildZip(officeEntries('docx')),
      { kind: 'docx', convertToPdf: true, zip: expect.objectContaining({ kind: 'docx' }) },
    ],
    ['a JPEG named .png', 'board.png', jpegWithFrame, { kind: 'jpeg', mime: 'image/jpeg', image: { width: 1280, height: 720 } }],
    [
      'GBK text',
      'notes.txt',
      Buffer.from([0xb5, 0xda, 0xd2, 0xbb, 0xbd, 0xb2, 0x0a]),
      { kind: 'text', mime: 'text/plain; charset=utf-8', encoding: 'gbk' },
    ],
    ['Markdown', 'notes.md', Buffer.from('# 第一讲\n', 'utf8'), { kind: 'text', mime: 'text/markdown; charset=utf-8', encoding: 'utf-8' }],
  ])('accepts %s', (_label, name, bytes, expected) => {
    expect(inspectMaterial(name, bytes)).toMatchObject({ ok: true, ...expected });
  });

  it('refuses a PPTX named .docx even when the head does not show the main part', () => {
    const zip = buildZip([
      { name: '[Content_Types].xml', data: officeEntries('pptx')[0].data },
      { name: 'ppt/media/image1.png', data: Buffer.alloc(6000, 7), method: 0 },
      { name: 'ppt/presentation.xml', data: '<p:presentation/>' },
    ]);
    expect(sniffMaterial(zip.subarray(0, 4096), 'docx')).toMatchObject({ ok: true, needsZipInspection: true });
    expect(inspectMaterial('slides.docx', zip)).toEqual({
      ok: false,
      code: 'mismatch',
      message:
        'This file is a PowerPoint presentation (.pptx), not a Word document (.docx) as its name says. Rename it or upload the right file.',
    });
  });

  it.each<[string, string, Buffer, string, RegExp]>([
    ['a plain ZIP named .docx', 'archive.docx', buildZip([{ name: 'a.txt', data: 'x' }]), 'mismatch', /a ZIP archive, not a Word document/],
    ['a program', 'setup.exe', latin1('MZ'), 'type_not_allowed', /accepts course materials/],
    [
      'text that turns binary after 4 KiB',
      'log.txt',
      Buffer.concat([latin1('a'.repeat(5000)), Buffer.from([0, 1, 2])]),
      'mismatch',
      /not plain text/,
    ],
    ['a text file over 5 MB', 'big.txt', Buffer.alloc(5 * MB + 1, 0x61), 'too_large', /5 MB/],
    ['an empty file', 'empty.pdf', Buffer.alloc(0), 'empty', /empty/],
    ['a PDF with JavaScript', 'form.pdf', pdf('5 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n'), 'active_content', /JavaScript/],
    ['a DOCX with macros', 'm.docx', buildZip(officeEntries('docx', [{ name: 'word/vbaProject.bin', data: 'x' }])), 'macros', /macros/],
  ])('refuses %s', (_label, name, bytes, code, message) => {
    expect(inspectMaterial(name, bytes)).toMatchObject({ ok: false, code, message: expect.stringMatching(message) });
  });

  it('never throws, for any name and bytes (also mutated valid files)', () => {
    const names = ['a.pdf', 'a.docx', 'a.pptx', 'a.xlsx', 'a.png', 'a.jpg', 'a.gif', 'a.webp', 'a.txt', 'a.exe', 'noext'];
    const seeds = [
      pdf(),
      buildZip(officeEntries('docx')),
      buildZip(officeEntries('pptx'), { zip64: true }),
      jpegWithFrame,
      PNG_HEAD,
      Buffer.alloc(0),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (name, seed, flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, seed.length === 0 ? 0 : seed.length - (cut % seed.length)));
          for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
          const result = inspectMaterial(name, bytes);
          expect(result.ok || result.message.length > 20).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CAPTION_FILE_MESSAGES,
  CAPTION_MAX_BYTES,
  CAPTION_MAX_CUE_CHARS,
  CAPTION_MAX_CUES,
  CAPTION_MAX_ERRORS,
  CaptionFileError,
  captionSearchText,
  cueAt,
  cuesAt,
  cueTextToLines,
  decodeCaptionBytes,
  detectCaptionFormat,
  formatVttTime,
  parseCaptions,
  toWebVtt,
  transcriptLineAt,
  transcriptLines,
  type CaptionParseResult,
  type CaptionRun,
  type Cue,
  type CueInput,
} from './captions.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** 中文字幕 in GBK. */
const GBK_ZHONGWEN_ZIMU = [0xd6, 0xd0, 0xce, 0xc4, 0xd7, 0xd6, 0xc4, 0xbb];

function cuesOf(result: CaptionParseResult): Cue[] {
  if (!result.ok) throw new Error(`expected cues, got ${JSON.stringify(result.errors)}`);
  return result.cues;
}
/** Write then parse; a document without cues is refused as empty, which here means no cues. */
function roundTrip(cues: readonly CueInput[]): Cue[] {
  const result = parseCaptions(toWebVtt(cues));
  if (!result.ok && result.errors.length === 1 && result.errors[0].code === 'empty') return [];
  return cuesOf(result);
}
function errorsOf(result: CaptionParseResult) {
  if (result.ok) throw new Error(`expected errors, got ${result.cues.length} cues`);
  return result.errors;
}
const times = (cues: Cue[]) => cues.map((c) => [c.startSec, c.endSec, c.text]);
const cue = (startSec: number, endSec: number, text: string): Cue => ({
  startSec,
  endSec,
  text,
  lines: text.split('\n').map((t) => [{ text: t }]),
});

describe('decodeCaptionBytes', () => {
  it.each<[string, number[], string, 'utf-8' | 'gbk']>([
    ['plain ASCII is UTF-8', [...utf8('WEBVTT\n')], 'WEBVTT\n', 'utf-8'],
    ['UTF-8 Chinese', [...utf8('中文字幕')], '中文字幕', 'utf-8'],
    ['a UTF-8 byte order mark is removed', [0xef, 0xbb, 0xbf, ...utf8('WEBVTT')], 'WEBVTT', 'utf-8'],
    ['GBK Chinese', GBK_ZHONGWEN_ZIMU, '中文字幕', 'gbk'],
    ['GBK with ASCII around it', [...utf8('1\r\n'), ...GBK_ZHONGWEN_ZIMU, ...utf8('\r\n')], '1\r\n中文字幕\r\n', 'gbk'],
    ['empty file', [], '', 'utf-8'],
  ])('%s', (_name, bytes, text, encoding) => {
    expect(decodeCaptionBytes(Uint8Array.from(bytes))).toEqual({ text, encoding });
  });

  it.each<[string, number[], string]>([
    ['bytes that are neither UTF-8 nor GBK', [0x57, 0x45, 0xc0, 0x20], CAPTION_FILE_MESSAGES.not_text],
    ['a GBK lead byte at the end', [0x57, 0x45, 0x81], CAPTION_FILE_MESSAGES.not_text],
    ['bytes GBK leaves unassigned', [0x57, 0x45, 0xff, 0xff], CAPTION_FILE_MESSAGES.not_text],
    ['binary data with NUL bytes', [0x00, 0x01, 0x02, 0x41], CAPTION_FILE_MESSAGES.not_text],
    ['UTF-16 little endian', [0xff, 0xfe, 0x57, 0x00], CAPTION_FILE_MESSAGES.utf16],
    ['UTF-16 big endian', [0xfe, 0xff, 0x00, 0x57], CAPTION_FILE_MESSAGES.utf16],
  ])('rejects %s with a message saying what to do', (_name, bytes, message) => {
    expect(() => decodeCaptionBytes(Uint8Array.from(bytes))).toThrow(message);
    expect(() => decodeCaptionBytes(Uint8Array.from(bytes))).toThrow(CaptionFileError);
  });

  it('says the neither-UTF-8-nor-GBK message in plain words', () => {
    expect(CAPTION_FILE_MESSAGES.not_text).toBe('The file is neither UTF-8 nor GBK text; save it as UTF-8 and upload again');
  });

  it('a GBK SubRip file decodes and parses', () => {
    const bytes = Uint8Array.from([...utf8('1\r\n00:00:01,000 --> 00:00:02,000\r\n'), ...GBK_ZHONGWEN_ZIMU, ...utf8('\r\n')]);
    const { text, encoding } = decodeCaptionBytes(bytes);
    expect(encoding).toBe('gbk');
    expect(times(cuesOf(parseCaptions(text)))).toEqual([[1, 2, '中文字幕']]);
  });

  it('rejects a file over the size limit before decoding it', () => {
    expect(() => decodeCaptionBytes(new Uint8Array(CAPTION_MAX_BYTES + 1).fill(0x41))).toThrow(CAPTION_FILE_MESSAGES.too_large);
    expect(decodeCaptionBytes(new Uint8Array(CAPTION_MAX_BYTES).fill(0x41)).text).toHaveLength(CAPTION_MAX_BYTES);
  });

  it('property: any string saved as UTF-8 (with or without a BOM) decodes to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.boolean(), (text, bom) => {
        fc.pre(!text.includes('\0') && !text.startsWith('\uFEFF'));
        const bytes = bom ? Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(text)]) : utf8(text);
        expect(decodeCaptionBytes(bytes)).toEqual({ text, encoding: 'utf-8' });
      }),
    );
  });
});

describe('detectCaptionFormat', () => {
  it.each<[string, string, 'vtt' | 'srt']>([
    ['WEBVTT header', 'WEBVTT\n\n00:01.000 --> 00:02.000\nhi', 'vtt'],
    ['WEBVTT header with a title', 'WEBVTT - 第一讲\n', 'vtt'],
    ['WEBVTT after a BOM', '\uFEFFWEBVTT\r\n', 'vtt'],
    ['only WEBVTT', 'WEBVTT', 'vtt'],
    ['SubRip', '1\n00:00:01,000 --> 00:00:02,000\nhi', 'srt'],
    ['a word that starts with WEBVTT is not the header', 'WEBVTTX\n', 'srt'],
  ])('%s', (_name, text, format) => {
    expect(detectCaptionFormat(text)).toBe(format);
  });
});

const VTT = `WEBVTT - 第一讲
Kind: captions
Language: zh-CN

NOTE 这是注释
它可以有很多行

STYLE
::cue { color: yellow }

REGION
id:fred width:40%

intro
00:01.000 --> 00:04.000 align:start line:90%
<v 张老师>同志们好，</v>
今天我们学习<b>党章</b>。

00:00:04.500 --> 00:00:06.000
<c.yellow>第二句</c> &amp; &lt;更多&gt;

2
01:00:00.000 --> 01:00:02.250
Last &nbsp;one
`;

const SRT = `1
00:00:01,000 --> 00:00:04,000
<i>Good morning,</i>
comrades.

2
00:00:04,500 --> 00:00:06,000
{\\an8}<font color="#ffff00">Second</font> line

3
00:00:03,000 --> 00:00:05,000
Overlapping, starts earlier
`;

describe('parseCaptions — accepted files', () => {
  it('reads WebVTT with header text, NOTE/STYLE/REGION blocks, cue ids and settings, tags and entities', () => {
    const result = parseCaptions(VTT);
    expect(result.ok && result.format).toBe('vtt');
    const cues = cuesOf(result);
    expect(times(cues)).toEqual([
      [1, 4, '同志们好，\n今天我们学习党章。'],
      [4.5, 6, '第二句 & <更多>'],
      [3600, 3602.25, 'Last \u00a0one'],
    ]);
    expect(cues[0].lines).toEqual([
      [{ text: '同志们好，', voice: '张老师' }],
      [{ text: '今天我们学习' }, { text: '党章', bold: true }, { text: '。' }],
    ]);
  });

  it('reads SubRip with numbers, italic, font tags, ASS overrides, and sorts overlapping cues by start', () => {
    const result = parseCaptions(SRT);
    expect(result.ok && result.format).toBe('srt');
    const cues = cuesOf(result);
    expect(times(cues)).toEqual([
      [1, 4, 'Good morning,\ncomrades.'],
      [3, 5, 'Overlapping, starts earlier'],
      [4.5, 6, 'Second line'],
    ]);
    expect(cues[0].lines).toEqual([[{ text: 'Good morning,', italic: true }], [{ text: 'comrades.' }]]);
  });

  it.each<[string, string, Array<[number, number, string]>]>([
    ['CRLF line ends', 'WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\na\r\nb\r\n', [[1, 2, 'a\nb']]],
    ['CR line ends', 'WEBVTT\r\r00:01.000 --> 00:02.000\ra\r', [[1, 2, 'a']]],
    ['a BOM left in the text', '\uFEFFWEBVTT\n\n00:01.000 --> 00:02.000\na', [[1, 2, 'a']]],
    ['SubRip with dots', '1\n00:00:01.000 --> 00:00:02.500\na', [[1, 2.5, 'a']]],
    ['WebVTT with commas', 'WEBVTT\n\n00:00:01,000 --> 00:00:02,000\na', [[1, 2, 'a']]],
    ['hours optional', 'WEBVTT\n\n59:59.999 --> 1:00:00.000\na', [[3599.999, 3600, 'a']]],
    ['hours of three digits up to 24 h', 'WEBVTT\n\n023:59:59.000 --> 024:00:00.000\na', [[86399, 86400, 'a']]],
    ['a short fraction is tenths', '1\n00:00:01,5 --> 00:00:02,25\na', [[1.5, 2.25, 'a']]],
    ['several blank lines and trailing spaces', 'WEBVTT\n\n\n\n00:01.000 --> 00:02.000   \n  a  \n \n\n', [[1, 2, 'a']]],
    ['no final newline', '1\n00:00:01,000 --> 00:00:02,000\na', [[1, 2, 'a']]],
    [
      'SubRip without a blank line between cues',
      '1\n00:00:01,000 --> 00:00:02,000\na\n2\n00:00:03,000 --> 00:00:04,000\nb',
      [
        [1, 2, 'a'],
        [3, 4, 'b'],
      ],
    ],
    [
      'WebVTT cue text ends at a time line',
      'WEBVTT\n\n00:01.000 --> 00:02.000\na\n00:03.000 --> 00:04.000\nb',
      [
        [1, 2, 'a'],
        [3, 4, 'b'],
      ],
    ],
    ['a number inside SubRip text stays text', '1\n00:00:01,000 --> 00:00:02,000\n2024\nyear', [[1, 2, '2024\nyear']]],
    ['SubRip cue without a number', '00:00:01,000 --> 00:00:02,000\na', [[1, 2, 'a']]],
    [
      'equal starts keep file order',
      'WEBVTT\n\n00:01.000 --> 00:03.000\nfirst\n\n00:01.000 --> 00:02.000\nsecond',
      [
        [1, 3, 'first'],
        [1, 2, 'second'],
      ],
    ],
    [
      'karaoke timestamps, ruby and lang are removed',
      'WEBVTT\n\n00:01.000 --> 00:02.000\n<lang zh>你<00:01.500>好</lang><ruby>党<rt>dang</rt></ruby>',
      [[1, 2, '你好党dang']],
    ],
    [
      'unclosed and stray tags',
      'WEBVTT\n\n00:01.000 --> 00:02.000\n<b>bold</i> and a < sign & an &unknown; one',
      [[1, 2, 'bold and a < sign & an &unknown; one']],
    ],
    ['numeric entities', 'WEBVTT\n\n00:01.000 --> 00:02.000\n&#20013;&#x6587;', [[1, 2, '中文']]],
    ['a cue right after the header without a blank line', 'WEBVTT\nKind: captions\n00:01.000 --> 00:02.000\nx', [[1, 2, 'x']]],
    ['no spaces around the arrow', 'WEBVTT\n\n00:01.000-->00:02.000\nx', [[1, 2, 'x']]],
    ['{braces} stay in WebVTT', 'WEBVTT\n\n00:01.000 --> 00:02.000\n{\\an8}x', [[1, 2, '{\\an8}x']]],
  ])('%s', (_name, text, expected) => {
    expect(times(cuesOf(parseCaptions(text)))).toEqual(expected);
  });

  it('leaves out cues that never show, with a warning naming the line', () => {
    const result = parseCaptions(
      '1\n00:00:01,000 --> 00:00:01,000\nzero\n\n2\n00:00:02,000 --> 00:00:03,000\n<i> </i>\n\n3\n00:00:04,000 --> 00:00:05,000\nkept',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(times(result.cues)).toEqual([[4, 5, 'kept']]);
    expect(result.warnings.map((w) => [w.line, w.code, w.message])).toEqual([
      [2, 'zero_length_cue', 'line 2: this caption starts and ends at 00:00:01,000, so it never shows; it was left out'],
      [6, 'empty_cue', 'line 6: this caption has no text; it was left out'],
    ]);
  });

  it(`lists at most ${CAPTION_MAX_ERRORS} warnings, the last counting the rest`, () => {
    const zero = Array.from({ length: 50 }, (_, i) => `${formatVttTime(i)} --> ${formatVttTime(i)}\nz`).join('\n\n');
    const result = parseCaptions(`WEBVTT\n\n${zero}\n\n01:00:00.000 --> 01:00:01.000\nkept`);
    if (!result.ok) throw new Error('expected cues');
    expect(result.cues.map((c) => c.text)).toEqual(['kept']);
    expect(result.warnings).toHaveLength(CAPTION_MAX_ERRORS);
    expect(result.warnings[CAPTION_MAX_ERRORS - 1]).toEqual({
      line: 0,
      code: 'more_left_out',
      message: '…and 31 more captions that show nothing were left out',
    });
  });

  it('keeps styles across lines and the speaker until the cue ends', () => {
    expect(cueTextToLines('<v.loud Mary Smith><i>one\ntwo</i> three')).toEqual([
      [{ text: 'one', italic: true, voice: 'Mary Smith' }],
      [
        { text: 'two', italic: true, voice: 'Mary Smith' },
        { text: ' three', voice: 'Mary Smith' },
      ],
    ]);
    expect(cueTextToLines('<b><b>x</b>y</b>z<u>w')).toEqual([[{ text: 'xy', bold: true }, { text: 'z' }, { text: 'w', underline: true }]]);
  });

  it('a < with no > on its line is text, and tags on the next line still count', () => {
    expect(cueTextToLines('a < b < c\n1 < 2 <i>x</i> > y')).toEqual([
      [{ text: 'a < b < c' }],
      [{ text: '1 < 2 ' }, { text: 'x', italic: true }, { text: ' > y' }],
    ]);
  });

  it('never yields markup: a script tag is removed and its text stays text', () => {
    const cues = cuesOf(parseCaptions('WEBVTT\n\n00:01.000 --> 00:02.000\n<script>alert(1)</script><img src=x onerror=alert(2)>'));
    expect(cues[0].text).toBe('alert(1)');
    expect(JSON.stringify(cues[0].lines)).not.toContain('<');
  });
});

describe('parseCaptions — rejected files', () => {
  it.each<[string, string, Array<[number, string]>]>([
    [
      'end before start (SubRip, as written)',
      '1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:01:05,000 --> 00:01:02,000\nbad',
      [[6, 'line 6: the end time 00:01:02,000 is before the start 00:01:05,000']],
    ],
    [
      'no time line',
      'WEBVTT\n\nhello there\n',
      [[3, 'line 3: expected a time line like 00:00:01.000 --> 00:00:04.000, found "hello there"']],
    ],
    [
      'a cue id without a time line',
      'WEBVTT\n\nintro\nhello\n',
      [[4, 'line 4: expected a time line like 00:00:01.000 --> 00:00:04.000, found "hello"']],
    ],
    ['a time without milliseconds', '1\n00:00:01 --> 00:00:02\nx', [[2, 'line 2: "00:00:01" is not a time like 00:01:05,250']]],
    [
      'SubRip text without a time line',
      'Hello\nworld\n',
      [[1, 'line 1: expected a time line like 00:00:01,000 --> 00:00:04,000, found "Hello"']],
    ],
    ['an arrow alone', 'WEBVTT\n\n-->\nx', [[3, 'line 3: expected a time line like 00:00:01.000 --> 00:00:04.000, found "-->"']]],
    [
      'seconds of 60',
      'WEBVTT\n\n00:00:60.000 --> 00:01:02.000\nx',
      [[3, 'line 3: in the time "00:00:60.000" minutes and seconds must be below 60']],
    ],
    [
      'minutes of 60 with hours',
      'WEBVTT\n\n00:60:00.000 --> 01:01:00.000\nx',
      [[3, 'line 3: in the time "00:60:00.000" minutes and seconds must be below 60']],
    ],
    ['one-digit seconds', 'WEBVTT\n\n00:00:1.000 --> 00:00:02.000\nx', [[3, 'line 3: "00:00:1.000" is not a time like 00:01:05.250']]],
    [
      'four-digit fraction',
      'WEBVTT\n\n00:00:01.0000 --> 00:00:02.000\nx',
      [[3, 'line 3: "00:00:01.0000" is not a time like 00:01:05.250']],
    ],
    [
      'beyond 24 hours',
      'WEBVTT\n\n24:00:00.000 --> 24:00:00.001\nx',
      [[3, 'line 3: the time 24:00:00.001 is later than 24 hours; lectures are shorter than that']],
    ],
    [
      'missing WEBVTT header when WebVTT is asked for',
      '00:01.000 --> 00:02.000\nx',
      [[1, 'line 1: a WebVTT file must start with the word WEBVTT on the first line']],
    ],
    [
      'no cues at all (WebVTT)',
      'WEBVTT\n\nNOTE nothing here\n',
      [[0, 'The file has no captions. Each caption needs a time line like 00:00:01.000 --> 00:00:04.000 followed by its text']],
    ],
    [
      'an empty file',
      '',
      [
        [
          0,
          'The file has no captions. Is it a WebVTT or SubRip (.srt) file? Each caption needs a time line like 00:00:01,000 --> 00:00:04,000 followed by its text',
        ],
      ],
    ],
    [
      'several problems at once, each with its line',
      '1\n00:00:05,000 --> 00:00:01,000\na\n\n2\nxx --> 00:00:02,000\nb\n\nstray',
      [
        [2, 'line 2: the end time 00:00:01,000 is before the start 00:00:05,000'],
        [6, 'line 6: "xx" is not a time like 00:01:05,250'],
        [9, 'line 9: expected a time line like 00:00:01,000 --> 00:00:04,000, found "stray"'],
      ],
    ],
  ])('%s', (name, text, expected) => {
    const format = name.includes('WebVTT is asked') ? 'vtt' : undefined;
    expect(errorsOf(parseCaptions(text, format)).map((e) => [e.line, e.message])).toEqual(expected);
  });

  it('rejects a caption over the length limit, counting characters after tags go', () => {
    const long = '字'.repeat(CAPTION_MAX_CUE_CHARS + 1);
    expect(errorsOf(parseCaptions(`WEBVTT\n\n00:01.000 --> 00:02.000\n${long}`))).toEqual([
      {
        line: 3,
        code: 'cue_too_long',
        message: 'line 3: this caption has 1,001 characters; the limit is 1,000. Split it into shorter captions',
      },
    ]);
    const atLimit = `<b>${'字'.repeat(CAPTION_MAX_CUE_CHARS)}</b>`;
    expect(cuesOf(parseCaptions(`WEBVTT\n\n00:01.000 --> 00:02.000\n${atLimit}`))[0].text).toHaveLength(CAPTION_MAX_CUE_CHARS);
  });

  it(`accepts ${CAPTION_MAX_CUES} cues and rejects one more`, () => {
    const file = (n: number) =>
      'WEBVTT\n\n' + Array.from({ length: n }, (_, i) => `${formatVttTime(i)} --> ${formatVttTime(i + 1)}\n${i}`).join('\n\n');
    expect(cuesOf(parseCaptions(file(CAPTION_MAX_CUES)))).toHaveLength(CAPTION_MAX_CUES);
    const errors = errorsOf(parseCaptions(file(CAPTION_MAX_CUES + 1)));
    expect(errors).toEqual([
      {
        line: 3 + CAPTION_MAX_CUES * 3,
        code: 'too_many_cues',
        message: `line ${3 + CAPTION_MAX_CUES * 3}: the file has more than 20,000 captions, the most one lecture may have. Split the lecture or merge short captions`,
      },
    ]);
  });

  it('rejects text over the size limit, counting UTF-8 bytes', () => {
    const chinese = 'WEBVTT\n\n' + '字'.repeat(Math.ceil(CAPTION_MAX_BYTES / 3) + 1);
    expect(chinese.length).toBeLessThan(CAPTION_MAX_BYTES);
    expect(errorsOf(parseCaptions(chinese))).toEqual([{ line: 0, code: 'too_large', message: CAPTION_FILE_MESSAGES.too_large }]);
  });

  it(`lists at most ${CAPTION_MAX_ERRORS} problems, the last saying more follow`, () => {
    const bad = '1\n' + Array.from({ length: 50 }, () => 'nonsense').join('\n\n');
    const errors = errorsOf(parseCaptions(bad));
    expect(errors).toHaveLength(CAPTION_MAX_ERRORS);
    expect(errors[CAPTION_MAX_ERRORS - 1]).toEqual({
      line: 0,
      code: 'too_many_errors',
      message: `…and more problems after line ${errors[CAPTION_MAX_ERRORS - 2].line}. Fix these first and upload again`,
    });
    expect(errors.slice(0, -1).every((e) => e.message.startsWith(`line ${e.line}: `))).toBe(true);
  });
});

describe('toWebVtt', () => {
  it('writes the normalised document', () => {
    const cues = cuesOf(parseCaptions(VTT));
    expect(toWebVtt(cues)).toBe(
      [
        'WEBVTT',
        '',
        '00:00:01.000 --> 00:00:04.000',
        '<v 张老师>同志们好，</v>',
        '今天我们学习<b>党章</b>。',
        '',
        '00:00:04.500 --> 00:00:06.000',
        '第二句 &amp; &lt;更多&gt;',
        '',
        '01:00:00.000 --> 01:00:02.250',
        'Last \u00a0one',
        '',
      ].join('\n'),
    );
  });

  it('escapes plain text so it can never become markup, a time line or a blank line', () => {
    const written = toWebVtt([{ startSec: 2, endSec: 3, text: 'a <b>x</b> --> & \n\n   \n  b  ' }]);
    expect(written).toBe('WEBVTT\n\n00:00:02.000 --> 00:00:03.000\na &lt;b&gt;x&lt;/b&gt; --&gt; &amp;\nb\n');
    expect(times(cuesOf(parseCaptions(written)))).toEqual([[2, 3, 'a <b>x</b> --> &\nb']]);
  });

  it('sorts by start and leaves out cues without text', () => {
    expect(
      toWebVtt([
        { startSec: 5, endSec: 6, text: 'later' },
        { startSec: 1, endSec: 2, text: ' ' },
        { startSec: 1.0004, endSec: 2, text: 'earlier' },
      ]),
    ).toBe('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nearlier\n\n00:00:05.000 --> 00:00:06.000\nlater\n');
  });

  it('writes an empty document for no cues', () => {
    expect(toWebVtt([])).toBe('WEBVTT\n');
  });

  it.each<[number, string]>([
    [0, '00:00:00.000'],
    [0.0005, '00:00:00.001'],
    [59.9999, '00:01:00.000'],
    [3725.5, '01:02:05.500'],
    [86400, '24:00:00.000'],
  ])('formatVttTime(%p) = %p', (sec, text) => {
    expect(formatVttTime(sec)).toBe(text);
  });
});

// Text with everything that needs care: markup characters, entities, arrows, CJK, surrounding and inner spaces.
const textPiece = fc.oneof(
  fc.constantFrom(
    '<',
    '>',
    '&',
    '&amp;',
    '-->',
    '<b>',
    '</v>',
    '{\\an8}',
    ' ',
    '\u00a0',
    '\t',
    '中文',
    '字幕',
    'NOTE',
    'WEBVTT',
    '1',
    '\n',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
);
const cueText = fc.array(textPiece, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
const cueMs = fc.tuple(fc.integer({ min: 0, max: 86_400_000 - 1 }), fc.integer({ min: 1, max: 600_000 })).map(([start, length]) => ({
  startMs: start,
  endMs: Math.min(86_400_000, start + length),
}));
const plainCues = fc.array(
  fc.record({ ms: cueMs, text: cueText }).map(({ ms, text }): CueInput => ({ startSec: ms.startMs / 1000, endSec: ms.endMs / 1000, text })),
  { maxLength: 30 },
);
const run: fc.Arbitrary<CaptionRun> = fc
  .record({
    text: cueText.map((t) => t.replace(/\n/g, ' ')),
    bold: fc.boolean(),
    italic: fc.boolean(),
    underline: fc.boolean(),
    voice: fc.option(fc.constantFrom('张老师', 'Mary <Smith>', ' A  B '), { nil: undefined }),
  })
  .map(({ text, bold, italic, underline, voice }) => ({
    text,
    ...(bold ? { bold: true as const } : {}),
    ...(italic ? { italic: true as const } : {}),
    ...(underline ? { underline: true as const } : {}),
    ...(voice !== undefined ? { voice } : {}),
  }));
const styledCues = fc.array(
  fc
    .record({ ms: cueMs, lines: fc.array(fc.array(run, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }) })
    .map(({ ms, lines }): CueInput => ({ startSec: ms.startMs / 1000, endSec: ms.endMs / 1000, text: '', lines })),
  { maxLength: 20 },
);

/** What the parser makes of a line of plain text: trimmed, blank lines gone. */
const tidyText = (text: string) =>
  text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');

describe('toWebVtt and parseCaptions round trip', () => {
  it('property: plain cues come back with their times to the millisecond and their text', () => {
    fc.assert(
      fc.property(plainCues, (cues) => {
        const parsed = roundTrip(cues);
        const expected = cues
          .map((c, order) => ({ c, order }))
          .filter(({ c }) => tidyText(c.text) !== '')
          .sort((a, b) => a.c.startSec - b.c.startSec || a.order - b.order)
          .map(({ c }) => [c.startSec, c.endSec, tidyText(c.text)]);
        expect(times(parsed)).toEqual(expected);
      }),
    );
  });

  it('property: parsed cues, styles and speakers included, are a fixed point of write-then-parse', () => {
    fc.assert(
      fc.property(styledCues, (cues) => {
        const first = roundTrip(cues);
        expect(roundTrip(first)).toEqual(first);
        expect(toWebVtt(first)).toBe(toWebVtt(cues));
      }),
    );
  });

  it('property: writing never emits markup other than b, i, u and v', () => {
    fc.assert(
      fc.property(styledCues, (cues) => {
        const tags = toWebVtt(cues).match(/<[^>]*>/g) ?? [];
        for (const tag of tags) expect(tag).toMatch(/^<(?:\/?[biu]|\/v|v [^<>&]*(?:&(?:amp|lt|gt);[^<>&]*)*)>$/);
      }),
    );
  });

  it('property: parsing any text never throws, and cues are sorted with start < end and non-empty text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.constantFrom<'vtt' | 'srt' | undefined>('vtt', 'srt', undefined),
        (text, format) => {
          const result = parseCaptions(text, format);
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            return;
          }
          for (let i = 0; i < result.cues.length; i++) {
            const c = result.cues[i];
            expect(c.startSec).toBeLessThan(c.endSec);
            expect(c.text).not.toBe('');
            if (i > 0) expect(result.cues[i - 1].startSec).toBeLessThanOrEqual(c.startSec);
          }
        },
      ),
    );
  });
});

describe('cueAt and cuesAt', () => {
  const cues = [cue(1, 4, 'a'), cue(3, 5, 'b'), cue(4.5, 6, 'c'), cue(10, 100, 'long'), cue(20, 21, 'inside')];
  it.each<[number, string | null, string[]]>([
    [0, null, []],
    [1, 'a', ['a']],
    [3.5, 'b', ['a', 'b']],
    [4, 'b', ['b']],
    [4.9, 'c', ['b', 'c']],
    [6, null, []],
    [20.5, 'inside', ['long', 'inside']],
    [21, 'long', ['long']],
    [100, null, []],
    [NaN, null, []],
  ])('at %p s', (position, current, all) => {
    expect(cueAt(cues, position)?.cue.text ?? null).toBe(current);
    expect(cuesAt(cues, position).map((c) => c.text)).toEqual(all);
  });

  it('gives the index for the transcript highlight', () => {
    expect(cueAt(cues, 4.9)).toEqual({ index: 2, cue: cues[2] });
    expect(cueAt([], 1)).toBeNull();
  });

  it('property: agrees with a linear scan', () => {
    fc.assert(
      fc.property(plainCues, fc.integer({ min: 0, max: 86_400_000 }), (inputs, ms) => {
        const sorted = roundTrip(inputs);
        const position = ms / 1000;
        const active = sorted.filter((c) => c.startSec <= position && position < c.endSec);
        expect(cuesAt(sorted, position)).toEqual(active);
        expect(cueAt(sorted, position)?.cue ?? null).toEqual(active.length > 0 ? active[active.length - 1] : null);
      }),
    );
  });
});

describe('transcriptLines', () => {
  it('merges consecutive repeats, joins lines, and keeps cue indexes', () => {
    const cues = [
      cue(0, 2, '同志们好'),
      cue(2, 3, '同志们好'),
      cue(3, 5, '今天我们\n学习党章'),
      cue(5, 6, 'Hello\nworld'),
      cue(6, 7, '同志们好'),
    ];
    expect(transcriptLines(cues)).toEqual([
      { startSec: 0, endSec: 3, text: '同志们好', firstCue: 0, lastCue: 1 },
      { startSec: 3, endSec: 5, text: '今天我们学习党章', firstCue: 2, lastCue: 2 },
      { startSec: 5, endSec: 6, text: 'Hello world', firstCue: 3, lastCue: 3 },
      { startSec: 6, endSec: 7, text: '同志们好', firstCue: 4, lastCue: 4 },
    ]);
  });

  it('a merged line spans to the latest end of the cues in it', () => {
    expect(transcriptLines([cue(0, 5, 'x'), cue(1, 3, 'x')])).toEqual([{ startSec: 0, endSec: 5, text: 'x', firstCue: 0, lastCue: 1 }]);
  });

  it('finds the line to highlight', () => {
    const lines = transcriptLines([cue(0, 2, 'a'), cue(2, 3, 'a'), cue(4, 5, 'b')]);
    expect([0, 2.5, 3.5, 4, 9].map((p) => transcriptLineAt(lines, p))).toEqual([0, 0, null, 1, null]);
  });

  it('property: the highlighted line agrees with a linear scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ms: cueMs, text: fc.constantFrom('a', 'b') }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (items, at) => {
          const cues = items.map(({ ms, text }) => cue(ms.startMs / 1000, ms.endMs / 1000, text)).sort((x, y) => x.startSec - y.startSec);
          const lines = transcriptLines(cues);
          const position = at / 1000;
          let expected: number | null = null;
          lines.forEach((l, i) => {
            if (l.startSec <= position && position < l.endSec) expected = i;
          });
          expect(transcriptLineAt(lines, position)).toBe(expected);
        },
      ),
    );
  });

  it('property: never two neighbouring lines with the same text, and every cue is in exactly one line', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ ms: cueMs, text: fc.constantFrom('a', 'b', '中文') }), { maxLength: 40 }), (items) => {
        const cues = items.map(({ ms, text }) => cue(ms.startMs / 1000, ms.endMs / 1000, text));
        const lines = transcriptLines(cues);
        for (let i = 1; i < lines.length; i++)
          expect(lines[i].text === lines[i - 1].text && lines[i].firstCue === lines[i - 1].lastCue + 1).toBe(false);
        expect(lines.flatMap((l) => Array.from({ length: l.lastCue - l.firstCue + 1 }, (_, k) => l.firstCue + k))).toEqual(
          cues.map((_, i) => i),
        );
      }),
    );
  });
});

describe('captionSearchText', () => {
  it('collapses whitespace, drops tags and repeats, and closes up CJK across captions', () => {
    const cues = cuesOf(
      parseCaptions(
        'WEBVTT\n\n00:01.000 --> 00:02.000\n<v 张老师>学习政治\n\n00:02.000 --> 00:03.000\n学习政治\n\n00:03.000 --> 00:04.000\n理论，\n  提高   <b>觉悟</b>\n\n00:04.000 --> 00:05.000\nParty\tconstitution\n\n00:05.000 --> 00:06.000\nstudy 2024',
      ),
    );
    expect(captionSearchText(cues)).toBe('学习政治理论，提高 觉悟 Party constitution study 2024');
  });

  it('joins after a character outside the basic plane, and CJK beyond it', () => {
    expect(captionSearchText([cue(0, 1, 'go 😀'), cue(1, 2, 'now'), cue(2, 3, '𠀀'), cue(3, 4, '字')])).toBe('go 😀 now 𠀀字');
  });

  it('is empty for no cues', () => {
    expect(captionSearchText([])).toBe('');
  });

  it('property: no doubled or edge whitespace', () => {
    fc.assert(
      fc.property(styledCues, (inputs) => {
        const text = captionSearchText(roundTrip(inputs));
        expect(text).not.toMatch(/\s\s|^\s|\s$/);
      }),
    );
  });
});

// Lecture captions: decoding uploaded WebVTT/SRT files, parsing them with line-numbered messages an editor can act
// on, writing the normalised WebVTT we store and serve, and the lookups the player, transcript and search need.
// Pure functions only; nothing here produces HTML: cue styling is a list of text runs the player renders as text.

/** Largest caption file accepted, in bytes. */
export const CAPTION_MAX_BYTES = 2 * 1024 * 1024;
/** Most cues one file may hold. */
export const CAPTION_MAX_CUES = 20_000;
/** Longest text of one cue, in characters (after tags are removed). */
export const CAPTION_MAX_CUE_CHARS = 1_000;
/** Latest time a cue may start or end, in seconds. */
export const CAPTION_MAX_TIME_SEC = 24 * 60 * 60;
/** At most this many problems (and this many warnings) are listed for one file; the last one says more follow. */
export const CAPTION_MAX_ERRORS = 20;

export type CaptionEncoding = 'utf-8' | 'gbk';
export type CaptionFormat = 'vtt' | 'srt';

/** A stretch of cue text with one style. `voice` is the speaker named by a WebVTT `<v Speaker>` tag. */
export interface CaptionRun {
  text: string;
  bold?: true;
  italic?: true;
  underline?: true;
  voice?: string;
}

export interface Cue {
  startSec: number;
  endSec: number;
  /** Plain text: tags removed, entities decoded, lines trimmed and joined by "\n"; never empty. */
  text: string;
  /** The same text as styled runs, one array per line, for rendering as text nodes (never as HTML). */
  lines: CaptionRun[][];
}

/** What `toWebVtt` needs; `lines` wins over `text` when both are given. */
export type CueInput = Pick<Cue, 'startSec' | 'endSec'> & { text: string; lines?: CaptionRun[][] };

export type CaptionProblemCode =
  | 'too_large'
  | 'empty'
  | 'missing_header'
  | 'expected_time_line'
  | 'bad_time'
  | 'time_too_late'
  | 'end_before_start'
  | 'cue_too_long'
  | 'too_many_cues'
  | 'too_many_errors'
  | 'more_left_out'
  | 'zero_length_cue'
  | 'empty_cue';

/** `line` is 1-based; 0 means the file as a whole. `message` is a complete sentence that starts with "line N:" when it names a line. */
export interface CaptionProblem {
  line: number;
  code: CaptionProblemCode;
  message: string;
}

export type CaptionParseResult =
  | { ok: true; format: CaptionFormat; cues: Cue[]; warnings: CaptionProblem[] }
  | { ok: false; format: CaptionFormat; errors: CaptionProblem[] };

export type CaptionFileErrorCode = 'too_large' | 'not_text' | 'utf16';

export class CaptionFileError extends Error {
  constructor(
    readonly code: CaptionFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CaptionFileError';
  }
}

export const CAPTION_FILE_MESSAGES: Readonly<Record<CaptionFileErrorCode, string>> = Object.freeze({
  too_large: `The file is larger than ${CAPTION_MAX_BYTES / 1024 / 1024} MB; caption files are much smaller. Check that you chose the caption file, or split it by lecture.`,
  not_text: 'The file is neither UTF-8 nor GBK text; save it as UTF-8 and upload again',
  utf16: 'The file is saved as UTF-16 ("Unicode"); save it as UTF-8 and upload again',
});

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/**
 * Turns uploaded bytes into text. A UTF-8 byte order mark is removed; valid UTF-8 is taken as UTF-8 (plain ASCII is
 * both, and reads the same), otherwise the bytes must be valid GBK (what Chinese Windows editors save by default).
 * Throws a `CaptionFileError` whose message tells the editor what to do.
 */
export function decodeCaptionBytes(bytes: Uint8Array): { text: string; encoding: CaptionEncoding } {
  if (bytes.length > CAPTION_MAX_BYTES) throw new CaptionFileError('too_large', CAPTION_FILE_MESSAGES.too_large);
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new CaptionFileError('utf16', CAPTION_FILE_MESSAGES.utf16);
  }
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // NUL never occurs in caption text; it marks binary data or UTF-16 without a byte order mark.
  if (body.includes(0)) throw new CaptionFileError('not_text', CAPTION_FILE_MESSAGES.not_text);
  const utf8 = tryDecode('utf-8', body);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  const gbk = tryDecode('gbk', body);
  // Bytes GBK leaves unassigned (such as 0xFF) decode to private-use characters: not text anyone wrote.
  if (gbk !== null && !/[\ue000-\uf8ff]/.test(gbk)) return { text: gbk, encoding: 'gbk' };
  throw new CaptionFileError('not_text', CAPTION_FILE_MESSAGES.not_text);
}

function tryDecode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Times

const TIME = /^(?:(\d+):)?(\d+):(\d+)[.,](\d{1,3})$/;
// Spaces around the arrow are optional, as in browsers' WebVTT parser; cue settings may follow the end time.
const ARROW_LINE = /^(\S+?)[ \t]*-->[ \t]*(\S+)(?:[ \t]+.*)?$/;

type TimeParse = { ok: true; ms: number } | { ok: false; code: 'bad_time' | 'time_too_late'; why: string };

function parseTime(raw: string, format: CaptionFormat): TimeParse {
  const match = TIME.exec(raw);
  const example = format === 'srt' ? '00:01:05,250' : '00:01:05.250';
  if (!match) return { ok: false, code: 'bad_time', why: `"${raw}" is not a time like ${example}` };
  const [, h, m, s, frac] = match;
  const minutes = Number(m);
  const seconds = Number(s);
  if (m.length > 2 || (h !== undefined && m.length !== 2) || s.length !== 2) {
    return { ok: false, code: 'bad_time', why: `"${raw}" is not a time like ${example}` };
  }
  if (seconds > 59 || (h !== undefined && minutes > 59)) {
    return { ok: false, code: 'bad_time', why: `in the time "${raw}" minutes and seconds must be below 60` };
  }
  // A fraction of one or two digits is tenths or hundredths ("1,5" is 1.5 s), as common players read it.
  const ms = (Number(h ?? 0) * 3600 + minutes * 60 + seconds) * 1000 + Number(frac.padEnd(3, '0'));
  if (ms > CAPTION_MAX_TIME_SEC * 1000) {
    return { ok: false, code: 'time_too_late', why: `the time ${raw} is later than 24 hours; lectures are shorter than that` };
  }
  return { ok: true, ms };
}

/** 3725.5 → "01:02:05.500" (WebVTT always with hours, as we store it). */
export function formatVttTime(sec: number): string {
  const total = Math.max(0, Math.round(sec * 1000));
  const ms = total % 1000;
  const s = Math.floor(total / 1000) % 60;
  const m = Math.floor(total / 60_000) % 60;
  const h = Math.floor(total / 3_600_000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

// ---------------------------------------------------------------------------------------------------------------
// Cue text: tags, entities and runs

type Style = Omit<CaptionRun, 'text'>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };
const ENTITY = /^&(?:([a-z]+)|#(\d{1,7})|#x([0-9a-f]{1,6}));/i;
// SubRip files made from ASS often carry override blocks such as {\an8} or {\i1}; they are not text.
// A tag starts with a name, a closing slash or a timestamp; "1 < 2" in SubRip text is a comparison, not a tag.
const TAG_START = /^[A-Za-z/\d]$/;
const ASS_OVERRIDE = /^\{\\[^}\n]*\}/;

function decodeEntity(source: string, at: number): { text: string; length: number } | null {
  const match = ENTITY.exec(source.slice(at, at + 12));
  if (!match) return null;
  const [whole, name, dec, hex] = match;
  if (name !== undefined) {
    const text = ENTITIES[name.toLowerCase()];
    return text === undefined ? null : { text, length: whole.length };
  }
  const code = dec !== undefined ? Number(dec) : parseInt(hex, 16);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return { text: String.fromCodePoint(code), length: whole.length };
}

function decodeEntities(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const entity = text[i] === '&' ? decodeEntity(text, i) : null;
    if (entity) {
      out += entity.text;
      i += entity.length - 1;
    } else {
      out += text[i];
    }
  }
  return out;
}

/**
 * Cue text (lines joined by "\n", as in the file) → styled runs per line. Every tag is removed; `<b>`, `<i>`, `<u>`
 * and `<v Speaker>` become styles, the rest (`<c.x>`, `<lang>`, `<ruby>`, `<font>`, karaoke timestamps) only go.
 * In SubRip, ASS override blocks such as `{\an8}` go too. Lines are trimmed, empty lines dropped, and neighbouring runs
 * of one style merged.
 */
export function cueTextToLines(source: string, format: CaptionFormat = 'vtt'): CaptionRun[][] {
  const depth = { b: 0, i: 0, u: 0 };
  const voices: string[] = [];
  const lines: CaptionRun[][] = [];
  let line: CaptionRun[] = [];
  let buffer = '';
  let noCloseUntil = 0;
  let lineEnd = -1; // end of the current line, found at its first '<'
  const style = (): Style => {
    const s: Style = {};
    if (depth.b > 0) s.bold = true;
    if (depth.i > 0) s.italic = true;
    if (depth.u > 0) s.underline = true;
    if (voices.length > 0) s.voice = voices[voices.length - 1];
    return s;
  };
  const flush = () => {
    if (buffer !== '') line.push({ text: buffer, ...style() });
    buffer = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\n') {
      flush();
      lines.push(line);
      line = [];
      continue;
    }
    if (ch === '<' && i >= noCloseUntil && TAG_START.test(source[i + 1] ?? '')) {
      // Tags end on their own line. Once a line has no more '>', later '<' on it are text: no search again.
      if (lineEnd < i) {
        lineEnd = source.indexOf('\n', i + 1);
        if (lineEnd === -1) lineEnd = source.length;
      }
      const close = source.indexOf('>', i + 1);
      if (close === -1 || close > lineEnd) noCloseUntil = lineEnd;
      else {
        flush();
        applyTag(source.slice(i + 1, close), depth, voices);
        i = close;
        continue;
      }
    }
    if (ch === '&') {
      const entity = decodeEntity(source, i);
      if (entity) {
        buffer += entity.text;
        i += entity.length - 1;
        continue;
      }
    }
    if (ch === '{' && format === 'srt') {
      const override = ASS_OVERRIDE.exec(source.slice(i, i + 200));
      if (override) {
        i += override[0].length - 1;
        continue;
      }
    }
    buffer += ch;
  }
  flush();
  lines.push(line);
  return lines.map(tidyLine).filter((runs) => runs.length > 0);
}

function applyTag(tag: string, depth: { b: number; i: number; u: number }, voices: string[]): void {
  const closing = tag.startsWith('/');
  const body = closing ? tag.slice(1) : tag;
  const name = /^[^\s.]*/.exec(body)![0].toLowerCase();
  if (name === 'b' || name === 'i' || name === 'u') {
    depth[name] = closing ? Math.max(0, depth[name] - 1) : depth[name] + 1;
  } else if (name === 'v') {
    if (closing) voices.pop();
    else voices.push(decodeEntities(body.slice(1).replace(/^\S*/, '')).trim().replace(/\s+/g, ' '));
  }
}

function sameStyle(a: Style, b: Style): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && (a.voice || undefined) === (b.voice || undefined);
}

function tidyLine(runs: CaptionRun[]): CaptionRun[] {
  const cleaned = runs
    .map((run) => {
      const voice = run.voice?.trim().replace(/\s+/g, ' ');
      return voice ? { ...run, voice } : withoutVoice(run);
    })
    .filter((run) => run.text !== '');
  // Trim the line's ends; a run that was only whitespace goes, and the next one is trimmed in its turn.
  while (cleaned.length > 0 && cleaned[0].text.trimStart() === '') cleaned.shift();
  while (cleaned.length > 0 && cleaned[cleaned.length - 1].text.trimEnd() === '') cleaned.pop();
  if (cleaned.length > 0) {
    cleaned[0] = { ...cleaned[0], text: cleaned[0].text.trimStart() };
    const last = cleaned.length - 1;
    cleaned[last] = { ...cleaned[last], text: cleaned[last].text.trimEnd() };
  }
  const merged: CaptionRun[] = [];
  for (const run of cleaned) {
    const previous = merged[merged.length - 1];
    if (previous && sameStyle(previous, run)) merged[merged.length - 1] = { ...previous, text: previous.text + run.text };
    else merged.push(run);
  }
  return merged;
}

function withoutVoice(run: CaptionRun): CaptionRun {
  const copy = { ...run };
  delete copy.voice;
  return copy;
}

const linesToText = (lines: CaptionRun[][]) => lines.map((runs) => runs.map((run) => run.text).join('')).join('\n');

// ---------------------------------------------------------------------------------------------------------------
// Parsing

interface Line {
  text: string;
  number: number;
}

const isBlank = (text: string) => text.trim() === '';
const VTT_HEADER = /^WEBVTT(?:[ \t].*)?$/;
const VTT_SKIPPED_BLOCK = /^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$/;

/** WebVTT when the file starts with "WEBVTT", SubRip otherwise. */
export function detectCaptionFormat(text: string): CaptionFormat {
  return /^\uFEFF?WEBVTT(?:[ \t\r\n]|$)/.test(text) ? 'vtt' : 'srt';
}

/**
 * Parses WebVTT or SubRip (`format` omitted: detected from the first line). Either every cue, sorted by start
 * (overlaps allowed), or every problem found (up to `CAPTION_MAX_ERRORS`) with its line number. Cues that show
 * nothing (no text, or ending where they start) are left out and listed as warnings.
 */
export function parseCaptions(text: string, format: CaptionFormat = detectCaptionFormat(text)): CaptionParseResult {
  const errors: CaptionProblem[] = [];
  const warnings: CaptionProblem[] = [];
  const fail = (): CaptionParseResult => ({ ok: false, format, errors: capErrors(errors) });
  if (text.length > CAPTION_MAX_BYTES || utf8Length(text) > CAPTION_MAX_BYTES) {
    errors.push({ line: 0, code: 'too_large', message: CAPTION_FILE_MESSAGES.too_large });
    return fail();
  }
  const lines: Line[] = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ text: t, number: i + 1 }));
  let at = 0;
  if (format === 'vtt') {
    if (!VTT_HEADER.test(lines[0].text)) {
      errors.push({
        line: 1,
        code: 'missing_header',
        message: 'line 1: a WebVTT file must start with the word WEBVTT on the first line',
      });
      return fail();
    }
    // Header lines run to the first blank line; a time line ends them early, as in browsers' parser.
    at = 1;
    while (at < lines.length && !isBlank(lines[at].text) && !lines[at].text.includes('-->')) at++;
  }
  const example = format === 'srt' ? '00:00:01,000 --> 00:00:04,000' : '00:00:01.000 --> 00:00:04.000';
  const found: Array<{ startMs: number; endMs: number; text: string; lines: CaptionRun[][]; order: number }> = [];

  while (at < lines.length) {
    while (at < lines.length && isBlank(lines[at].text)) at++;
    if (at >= lines.length) break;
    const first = lines[at];
    if (format === 'vtt' && VTT_SKIPPED_BLOCK.test(first.text)) {
      while (at < lines.length && !isBlank(lines[at].text)) at++;
      continue;
    }
    // The time line is the block's first line, or its second after a cue id (WebVTT) or number (SubRip).
    let timing: Line | null = null;
    if (first.text.includes('-->')) timing = first;
    else if (at + 1 < lines.length && lines[at + 1].text.includes('-->')) timing = lines[at + 1];
    if (!timing) {
      const where = at + 1 < lines.length && !isBlank(lines[at + 1].text) && isCueLabel(first.text, format) ? lines[at + 1] : first;
      errors.push({
        line: where.number,
        code: 'expected_time_line',
        message: `line ${where.number}: expected a time line like ${example}, found "${shorten(where.text)}"`,
      });
      if (errors.length > CAPTION_MAX_ERRORS) return fail();
      while (at < lines.length && !isBlank(lines[at].text)) at++;
      continue;
    }
    at = timing.number; // index of the line after the time line
    const textLines: string[] = [];
    while (at < lines.length && !isBlank(lines[at].text) && !startsNextCue(lines, at, format)) {
      textLines.push(lines[at].text);
      at++;
    }
    const times = parseTimeLine(timing, format, example);
    if ('problem' in times) {
      errors.push(times.problem);
      if (errors.length > CAPTION_MAX_ERRORS) return fail();
      continue;
    }
    const cueLines = cueTextToLines(textLines.join('\n'), format);
    const plain = linesToText(cueLines);
    const n = timing.number;
    if ([...plain].length > CAPTION_MAX_CUE_CHARS) {
      errors.push({
        line: n,
        code: 'cue_too_long',
        message: `line ${n}: this caption has ${[...plain].length.toLocaleString('en')} characters; the limit is ${CAPTION_MAX_CUE_CHARS.toLocaleString('en')}. Split it into shorter captions`,
      });
      if (errors.length > CAPTION_MAX_ERRORS) return fail();
      continue;
    }
    if (times.endMs < times.startMs) {
      errors.push({
        line: n,
        code: 'end_before_start',
        message: `line ${n}: the end time ${times.endRaw} is before the start ${times.startRaw}`,
      });
      if (errors.length > CAPTION_MAX_ERRORS) return fail();
      continue;
    }
    if (times.endMs === times.startMs) {
      warnings.push({
        line: n,
        code: 'zero_length_cue',
        message: `line ${n}: this caption starts and ends at ${times.startRaw}, so it never shows; it was left out`,
      });
      continue;
    }
    if (plain === '') {
      warnings.push({ line: n, code: 'empty_cue', message: `line ${n}: this caption has no text; it was left out` });
      continue;
    }
    if (found.length === CAPTION_MAX_CUES) {
      errors.push({
        line: n,
        code: 'too_many_cues',
        message: `line ${n}: the file has more than ${CAPTION_MAX_CUES.toLocaleString('en')} captions, the most one lecture may have. Split the lecture or merge short captions`,
      });
      return fail();
    }
    found.push({ startMs: times.startMs, endMs: times.endMs, text: plain, lines: cueLines, order: found.length });
  }
  if (errors.length > 0) return fail();
  if (found.length === 0) {
    errors.push({
      line: 0,
      code: 'empty',
      message:
        format === 'vtt'
          ? `The file has no captions. Each caption needs a time line like ${example} followed by its text`
          : `The file has no captions. Is it a WebVTT or SubRip (.srt) file? Each caption needs a time line like ${example} followed by its text`,
    });
    return fail();
  }
  found.sort((a, b) => a.startMs - b.startMs || a.order - b.order);
  return {
    ok: true,
    format,
    warnings: capWarnings(warnings),
    cues: found.map((c) => ({ startSec: c.startMs / 1000, endSec: c.endMs / 1000, text: c.text, lines: c.lines })),
  };
}

function parseTimeLine(
  timing: Line,
  format: CaptionFormat,
  example: string,
): { startMs: number; endMs: number; startRaw: string; endRaw: string } | { problem: CaptionProblem } {
  const n = timing.number;
  const match = timing.text.length <= 500 ? ARROW_LINE.exec(timing.text.trim()) : null;
  if (!match) {
    return {
      problem: {
        line: n,
        code: 'expected_time_line',
        message: `line ${n}: expected a time line like ${example}, found "${shorten(timing.text)}"`,
      },
    };
  }
  const [, startRaw, endRaw] = match;
  const start = parseTime(startRaw, format);
  if (!start.ok) return { problem: { line: n, code: start.code, message: `line ${n}: ${start.why}` } };
  const end = parseTime(endRaw, format);
  if (!end.ok) return { problem: { line: n, code: end.code, message: `line ${n}: ${end.why}` } };
  return { startMs: start.ms, endMs: end.ms, startRaw, endRaw };
}

/** A line that may stand before a time line: a SubRip number, or any WebVTT cue id. */
function isCueLabel(text: string, format: CaptionFormat): boolean {
  return format === 'vtt' || /^\s*\d+\s*$/.test(text);
}

/** A cue's text ends early at a time line, or (tolerating a missing blank line) at a label followed by one. */
function startsNextCue(lines: Line[], at: number, format: CaptionFormat): boolean {
  if (lines[at].text.includes('-->')) return true;
  return format === 'srt' && /^\s*\d+\s*$/.test(lines[at].text) && at + 1 < lines.length && lines[at + 1].text.includes('-->');
}

function capErrors(errors: CaptionProblem[]): CaptionProblem[] {
  if (errors.length <= CAPTION_MAX_ERRORS) return errors;
  const shown = errors.slice(0, CAPTION_MAX_ERRORS - 1);
  return [
    ...shown,
    {
      line: 0,
      code: 'too_many_errors',
      message: `…and more problems after line ${shown[shown.length - 1].line}. Fix these first and upload again`,
    },
  ];
}

function capWarnings(warnings: CaptionProblem[]): CaptionProblem[] {
  if (warnings.length <= CAPTION_MAX_ERRORS) return warnings;
  const more = warnings.length - (CAPTION_MAX_ERRORS - 1);
  return [
    ...warnings.slice(0, CAPTION_MAX_ERRORS - 1),
    { line: 0, code: 'more_left_out', message: `…and ${more.toLocaleString('en')} more captions that show nothing were left out` },
  ];
}

const shorten = (text: string) => {
  const chars = [...text.trim()];
  return chars.length > 40 ? chars.slice(0, 40).join('') + '…' : chars.join('');
};

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function runToVtt(run: CaptionRun): string {
  let out = escapeText(run.text.replace(/[\r\n]+/g, ' '));
  if (run.underline) out = `<u>${out}</u>`;
  if (run.italic) out = `<i>${out}</i>`;
  if (run.bold) out = `<b>${out}</b>`;
  const voice = run.voice?.trim().replace(/\s+/g, ' ');
  if (voice) out = `<v ${escapeText(voice)}>${out}</v>`;
  return out;
}

/**
 * The normalised WebVTT document we store and serve: a bare header, cues sorted by start without ids or settings,
 * times as HH:MM:SS.mmm, styles as `<b>`, `<i>`, `<u>` and `<v>` only, text escaped, no blank lines inside a cue.
 * `parseCaptions(toWebVtt(cues))` gives the cues back (times to the millisecond). Cues with no text are left out.
 */
export function toWebVtt(cues: readonly CueInput[]): string {
  const blocks = cues
    .map((cue, order) => ({ cue, order, lines: (cue.lines ?? cueLinesFromText(cue.text)).map(tidyLine).filter((l) => l.length > 0) }))
    .filter((c) => c.lines.length > 0)
    .sort((a, b) => Math.round(a.cue.startSec * 1000) - Math.round(b.cue.startSec * 1000) || a.order - b.order)
    .map(({ cue, lines }) => {
      const body = lines.map((runs) => runs.map(runToVtt).join('')).join('\n');
      return `${formatVttTime(cue.startSec)} --> ${formatVttTime(cue.endSec)}\n${body}`;
    });
  return ['WEBVTT', ...blocks].join('\n\n') + '\n';
}

/** Plain text (no markup meant) as unstyled lines, tidied the way the parser tidies cue text. */
function cueLinesFromText(text: string): CaptionRun[][] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => [{ text: line }])
    .map(tidyLine)
    .filter((l) => l.length > 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Player, transcript and search

/**
 * The cue showing at `positionSec` (start ≤ position < end) for highlighting; with overlapping cues, the one that
 * started last. Cues must be sorted by start, as `parseCaptions` returns them, and not changed afterwards (a
 * lookup table is kept per list).
 */
export function cueAt(cues: readonly Cue[], positionSec: number): { index: number; cue: Cue } | null {
  const active = activeCueIndexes(cues, positionSec);
  if (active.length === 0) return null;
  const index = active[active.length - 1];
  return { index, cue: cues[index] };
}

/** Every cue showing at `positionSec`, in start order (what a caption overlay draws). */
export function cuesAt(cues: readonly Cue[], positionSec: number): Cue[] {
  return activeCueIndexes(cues, positionSec).map((i) => cues[i]);
}

// For each cue list, the latest end among cues 0..i: the backward scan for cues still showing stops as soon as no
// earlier cue ends after the position, so a lookup costs O(log n + cues showing). Lists are treated as immutable.
type Timed = { startSec: number; endSec: number };
const latestEnds = new WeakMap<readonly Timed[], Float64Array>();

function latestEndsOf(cues: readonly Timed[]): Float64Array {
  let ends = latestEnds.get(cues);
  if (!ends || ends.length !== cues.length) {
    ends = new Float64Array(cues.length);
    let latest = -Infinity;
    cues.forEach((cue, i) => {
      latest = Math.max(latest, cue.endSec);
      ends![i] = latest;
    });
    latestEnds.set(cues, ends);
  }
  return ends;
}

function activeCueIndexes(cues: readonly Timed[], positionSec: number): number[] {
  if (!Number.isFinite(positionSec)) return [];
  // Last cue that starts at or before the position; earlier ones may still be showing when cues overlap.
  let lo = 0;
  let hi = cues.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cues[mid].startSec <= positionSec) lo = mid + 1;
    else hi = mid;
  }
  const ends = latestEndsOf(cues);
  const active: number[] = [];
  for (let i = lo - 1; i >= 0 && ends[i] > positionSec; i--) if (cues[i].endSec > positionSec) active.push(i);
  return active.reverse();
}

export interface TranscriptLine {
  startSec: number;
  endSec: number;
  /** The cue's lines joined into one (no space between two CJK characters). */
  text: string;
  /** Index of the first cue merged into this line. */
  firstCue: number;
  /** Index of the last cue merged into this line. */
  lastCue: number;
}

/**
 * Lines for the transcript beside the player: one per cue, with consecutive cues of the same text (captions
 * repeated to hold them on screen) merged into one line that spans them all. Clicking a line seeks to `startSec`.
 */
export function transcriptLines(cues: readonly Cue[]): TranscriptLine[] {
  const out: TranscriptLine[] = [];
  cues.forEach((cue, index) => {
    const text = joinLines(cue.text.split('\n'));
    if (text === '') return;
    const previous = out[out.length - 1];
    if (previous && previous.text === text && previous.lastCue === index - 1) {
      previous.endSec = Math.max(previous.endSec, cue.endSec);
      previous.lastCue = index;
    } else {
      out.push({ startSec: cue.startSec, endSec: cue.endSec, text, firstCue: index, lastCue: index });
    }
  });
  return out;
}

/** The transcript line showing at `positionSec` (the last one started and not ended), for highlighting. */
export function transcriptLineAt(lines: readonly TranscriptLine[], positionSec: number): number | null {
  const active = activeCueIndexes(lines, positionSec);
  return active.length > 0 ? active[active.length - 1] : null;
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Ideographic}\u3000-\u303f\uff00-\uffef]/u;

/** Joins pieces of text with a space, except between two CJK characters or punctuation, which run on. */
function joinLines(pieces: readonly string[]): string {
  const out: string[] = [];
  let last = '';
  for (const raw of pieces) {
    const piece = raw.replace(/\s+/g, ' ').trim();
    if (piece === '') continue;
    const first = String.fromCodePoint(piece.codePointAt(0)!);
    if (out.length > 0 && !(CJK_CHAR.test(last) && CJK_CHAR.test(first))) out.push(' ');
    out.push(piece);
    last = [...piece.slice(-2)].pop()!;
  }
  return out.join('');
}

/**
 * Everything said, as one plain text for the lecture search index: tags already gone, repeated captions once,
 * whitespace collapsed, and cue boundaries between CJK characters closed up so words split across two captions
 * are still found.
 */
export function captionSearchText(cues: readonly Cue[]): string {
  return joinLines(transcriptLines(cues).map((line) => line.text));
}

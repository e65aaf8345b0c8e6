import { constants as bufferConstants } from 'node:buffer';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { crc32, inflateRawSync, inflateSync, constants as zlibConstants } from 'node:zlib';

/**
 * Course materials (PDF, Office documents, images, plain text): which files are accepted, what their first bytes must
 * be, and the structural checks that refuse hostile documents (zip bombs, macros, PDF JavaScript) before anything
 * opens, renders or converts them. Pure functions over bytes: nothing here touches the disk or the network.
 */

export type MaterialKind = 'pdf' | 'docx' | 'pptx' | 'xlsx' | 'png' | 'jpeg' | 'gif' | 'webp' | 'text';

export interface MaterialType {
  kind: MaterialKind;
  /** The Content-Type the file is served with. */
  mime: string;
  maxBytes: number;
  /** Office documents get a PDF rendition so they can be read in the browser. */
  convertToPdf: boolean;
}

const MB = 1024 * 1024;

const pdf: MaterialType = { kind: 'pdf', mime: 'application/pdf', maxBytes: 100 * MB, convertToPdf: false };
const jpeg: MaterialType = { kind: 'jpeg', mime: 'image/jpeg', maxBytes: 20 * MB, convertToPdf: false };
const text = (mime: string): MaterialType => ({ kind: 'text', mime, maxBytes: 5 * MB, convertToPdf: false });

/** Accepted course-material extensions (lower case, without the dot). */
export const MATERIAL_TYPES: Readonly<Record<string, MaterialType>> = {
  pdf,
  docx: {
    kind: 'docx',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    maxBytes: 100 * MB,
    convertToPdf: true,
  },
  pptx: {
    kind: 'pptx',
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    maxBytes: 100 * MB,
    convertToPdf: true,
  },
  xlsx: {
    kind: 'xlsx',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    maxBytes: 100 * MB,
    convertToPdf: true,
  },
  png: { kind: 'png', mime: 'image/png', maxBytes: 20 * MB, convertToPdf: false },
  jpg: jpeg,
  jpeg,
  gif: { kind: 'gif', mime: 'image/gif', maxBytes: 20 * MB, convertToPdf: false },
  webp: { kind: 'webp', mime: 'image/webp', maxBytes: 20 * MB, convertToPdf: false },
  txt: text('text/plain; charset=utf-8'),
  md: text('text/markdown; charset=utf-8'),
  csv: text('text/csv; charset=utf-8'),
};

/** The MaterialType for each kind (images and text share limits across their extensions). */
export const MATERIAL_TYPE_BY_KIND: Readonly<Record<MaterialKind, MaterialType>> = {
  pdf,
  docx: MATERIAL_TYPES.docx,
  pptx: MATERIAL_TYPES.pptx,
  xlsx: MATERIAL_TYPES.xlsx,
  png: MATERIAL_TYPES.png,
  jpeg,
  gif: MATERIAL_TYPES.gif,
  webp: MATERIAL_TYPES.webp,
  text: MATERIAL_TYPES.txt,
};

/** Stable machine codes for why a course material is refused; `message` says what the editor can do. */
export type MaterialRefusalCode =
  | 'type_not_allowed'
  | 'empty'
  | 'too_large'
  | 'mismatch'
  | 'unreadable'
  | 'encrypted'
  | 'macros'
  | 'unsafe_path'
  | 'zip_bomb'
  | 'too_many_entries'
  | 'active_content'
  | 'too_complex';

export interface MaterialRefusal {
  ok: false;
  code: MaterialRefusalCode;
  message: string;
}

const refuse = (code: MaterialRefusalCode, message: string): MaterialRefusal => ({ ok: false, code, message });

const ACCEPTED_LIST =
  'PDF (.pdf), Word (.docx), PowerPoint (.pptx), Excel (.xlsx), images (.png, .jpg, .jpeg, .gif, .webp) and plain text (.txt, .md, .csv)';

const LEGACY_OFFICE: Readonly<Record<string, string>> = { doc: 'docx', ppt: 'pptx', pps: 'pptx', xls: 'xlsx' };
const MACRO_OFFICE: Readonly<Record<string, string>> = {
  docm: 'docx',
  dotm: 'docx',
  pptm: 'pptx',
  potm: 'pptx',
  ppsm: 'pptx',
  xlsm: 'xlsx',
  xltm: 'xlsx',
  xlsb: 'xlsx',
};

function extensionOf(fileName: string): string | null {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(fileName.trim());
  return match ? match[1].toLowerCase() : null;
}

/** Decides from the file name whether a material is accepted at all, before a byte is stored. */
export function materialTypeFor(fileName: string): ({ ok: true; extension: string } & MaterialType) | MaterialRefusal {
  const extension = extensionOf(fileName);
  const type = extension === null ? undefined : MATERIAL_TYPES[extension];
  if (extension !== null && type !== undefined) return { ok: true, extension, ...type };
  if (extension !== null && LEGACY_OFFICE[extension]) {
    return refuse(
      'type_not_allowed',
      `“.${extension}” is an old Office format that Lectern does not accept. Open the file and save it as .${LEGACY_OFFICE[extension]}, then upload that.`,
    );
  }
  if (extension !== null && MACRO_OFFICE[extension]) {
    return refuse(
      'macros',
      `“.${extension}” files can contain macros, which Lectern does not accept. Save the file as .${MACRO_OFFICE[extension]} (without macros) and upload that.`,
    );
  }
  const what = extension === null ? 'This file has no extension' : `“.${extension}” files are not accepted`;
  return refuse('type_not_allowed', `${what}. Lectern accepts course materials as ${ACCEPTED_LIST}.`);
}

const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** The size limit for a kind of material; the tus upload can enforce it from Upload-Length. */
export function checkMaterialSize(kind: MaterialKind, sizeBytes: number): MaterialRefusal | null {
  const type = MATERIAL_TYPE_BY_KIND[kind];
  if (!Number.isFinite(sizeBytes) || sizeBytes <= 0) return refuse('empty', 'This file is empty. Choose the file again and re-upload it.');
  if (sizeBytes <= type.maxBytes) return null;
  return refuse(
    'too_large',
    `This file is ${megabytes(sizeBytes)}; ${KIND_NAMES[kind].plural} can be at most ${megabytes(type.maxBytes)}. Make it smaller (for example compress the images in it) and upload it again.`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Magic bytes

/** What the first bytes say a file is; the accepted kinds plus formats worth naming in a refusal. */
export type SniffedFormat =
  MaterialKind | 'zip' | 'ole' | 'executable' | 'rar' | '7z' | 'gzip' | 'bmp' | 'tiff' | 'heic' | 'media' | 'binary';

const KIND_NAMES: Record<SniffedFormat, { singular: string; plural: string }> = {
  pdf: { singular: 'a PDF', plural: 'PDFs' },
  docx: { singular: 'a Word document (.docx)', plural: 'Word documents' },
  pptx: { singular: 'a PowerPoint presentation (.pptx)', plural: 'PowerPoint presentations' },
  xlsx: { singular: 'an Excel workbook (.xlsx)', plural: 'Excel workbooks' },
  png: { singular: 'a PNG image', plural: 'images' },
  jpeg: { singular: 'a JPEG image', plural: 'images' },
  gif: { singular: 'a GIF image', plural: 'images' },
  webp: { singular: 'a WebP image', plural: 'images' },
  text: { singular: 'a plain text file', plural: 'text files' },
  zip: { singular: 'a ZIP archive', plural: 'ZIP archives' },
  ole: { singular: 'an old-format (.doc, .ppt, .xls) or password-protected Office file', plural: 'old Office files' },
  executable: { singular: 'a program', plural: 'programs' },
  rar: { singular: 'a RAR archive', plural: 'RAR archives' },
  '7z': { singular: 'a 7-Zip archive', plural: '7-Zip archives' },
  gzip: { singular: 'a gzip archive', plural: 'gzip archives' },
  bmp: { singular: 'a BMP image', plural: 'BMP images' },
  tiff: { singular: 'a TIFF image', plural: 'TIFF images' },
  heic: { singular: 'a HEIC photo', plural: 'HEIC photos' },
  media: { singular: 'a video or audio file', plural: 'video and audio files' },
  binary: { singular: 'a binary file', plural: 'binary files' },
};

const startsWith = (head: Uint8Array, offset: number, signature: string) => {
  if (head.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (head[offset + i] !== signature.charCodeAt(i)) return false;
  return true;
};

const IMAGE_KINDS: readonly MaterialKind[] = ['png', 'jpeg', 'gif', 'webp'];
const OFFICE_KINDS: readonly MaterialKind[] = ['docx', 'pptx', 'xlsx'];

/** Recognises a format from its first bytes; null when nothing matches (maybe text). */
export function sniffFormat(head: Uint8Array): SniffedFormat | null {
  if (startsWith(head, 0, '%PDF-')) return 'pdf';
  if (startsWith(head, 0, 'PK\x03\x04') || startsWith(head, 0, 'PK\x05\x06')) return 'zip';
  if (startsWith(head, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (startsWith(head, 0, '\xff\xd8\xff')) return 'jpeg';
  if (startsWith(head, 0, 'GIF87a') || startsWith(head, 0, 'GIF89a')) return 'gif';
  if (startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WEBP')) return 'webp';
  if (startsWith(head, 0, '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1')) return 'ole';
  if (startsWith(head, 0, 'MZ') || startsWith(head, 0, '\x7fELF') || startsWith(head, 0, '\xcf\xfa\xed\xfe')) return 'executable';
  if (startsWith(head, 0, 'Rar!\x1a\x07')) return 'rar';
  if (startsWith(head, 0, "7z\xbc\xaf'\x1c")) return '7z';
  if (startsWith(head, 0, '\x1f\x8b')) return 'gzip';
  if (startsWith(head, 0, 'BM') && head.length >= 14 && head[6] === 0 && head[7] === 0 && head[8] === 0 && head[9] === 0) return 'bmp';
  if (startsWith(head, 0, 'II*\x00') || startsWith(head, 0, 'MM\x00*')) return 'tiff';
  if (startsWith(head, 4, 'ftyp')) {
    return ['heic', 'heix', 'mif1', 'msf1', 'avif'].some((brand) => startsWith(head, 8, brand)) ? 'heic' : 'media';
  }
  if (startsWith(head, 0, '\x1aE\xdf\xa3') || startsWith(head, 0, 'ID3') || startsWith(head, 0, 'OggS') || startsWith(head, 0, 'fLaC')) {
    return 'media';
  }
  if (startsWith(head, 0, 'RIFF')) return 'media';
  // Readers accept a PDF header after up to 1 KiB of junk; the fixed signatures above win over it (polyglots).
  if (indexOfAscii(head, '%PDF-', 0, 1024) >= 0) return 'pdf';
  return null;
}

function indexOfAscii(bytes: Uint8Array, needle: string, from: number, to: number): number {
  const end = Math.min(to, bytes.length) - needle.length;
  outer: for (let i = Math.max(0, from); i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** How a text file's bytes decode; `null` when they are not text. */
export function detectTextEncoding(head: Uint8Array): 'utf-8' | 'gbk' | null {
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return null;
    // Tab, LF, VT, FF, CR, SUB (old DOS end of file) and ESC (terminal colours) occur in real text files.
    if ((byte < 0x20 && ![0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1a, 0x1b].includes(byte)) || byte === 0x7f) controls++;
  }
  if (controls > head.length / 100) return null;
  // `stream: true` tolerates a character cut in half at the end of the sniffed head.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return isGbk(head) ? 'gbk' : null;
  }
}

/**
 * GBK / GB 18030 byte structure (WHATWG): ASCII, 0x80, two-byte pairs (lead 0x81–0xFE, trail 0x40–0x7E or 0x80–0xFE)
 * and four-byte sequences (lead, 0x30–0x39, 0x81–0xFE, 0x30–0x39). Checked by hand: Node's decoder silently drops
 * some invalid bytes (0xFF) instead of failing. A sequence cut off by the end of the head is allowed.
 */
function isGbk(bytes: Uint8Array): boolean {
  const inRange = (at: number, low: number, high: number) => at >= bytes.length || (bytes[at] >= low && bytes[at] <= high);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte <= 0x80) continue;
    if (byte === 0xff) return false;
    const trail = bytes[i + 1];
    if (i + 1 >= bytes.length) return true;
    if ((trail >= 0x40 && trail <= 0x7e) || (trail >= 0x80 && trail <= 0xfe)) {
      i += 1;
    } else if (trail >= 0x30 && trail <= 0x39 && inRange(i + 2, 0x81, 0xfe) && inRange(i + 3, 0x30, 0x39)) {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

export type SniffResult =
  | {
      ok: true;
      /** The kind the bytes show; an image may be another image kind than its name says (served with this kind's MIME type). */
      kind: MaterialKind;
      /** Office documents are ZIP files: only inspectZip over the whole file can confirm which one. */
      needsZipInspection: boolean;
      /** For text: how to decode it. */
      encoding?: 'utf-8' | 'gbk';
    }
  | MaterialRefusal;

const NOT_TEXT =
  'This file is not plain text: it contains binary data or characters that are neither UTF-8 nor GBK. Save it as UTF-8 text, or upload it in its own format (PDF, Word, …).';

const mismatch = (actual: SniffedFormat, declared: MaterialKind) =>
  refuse(
    'mismatch',
    `This file is ${KIND_NAMES[actual].singular}, not ${KIND_NAMES[declared].singular} as its name says. Rename it or upload the right file.`,
  );

/**
 * Checks that a file's first bytes (at least 4 KiB when the file has them) are what its extension says.
 * Office documents are ZIP files: this only confirms the ZIP signature (and refuses a ZIP whose first entries
 * already show another Office kind); inspectZip decides from the central directory.
 */
export function sniffMaterial(head: Uint8Array, declaredKind: MaterialKind): SniffResult {
  if (head.length === 0) return refuse('empty', 'This file is empty. Choose the file again and re-upload it.');
  let format = sniffFormat(head);
  // Notes that quote “%PDF-” near their start are still text.
  if (format === 'pdf' && declaredKind === 'text' && !startsWith(head, 0, '%PDF-')) format = null;
  if (format === null) {
    const encoding = detectTextEncoding(head);
    if (declaredKind === 'text') {
      if (encoding !== null) return { ok: true, kind: 'text', needsZipInspection: false, encoding };
      return refuse('mismatch', NOT_TEXT);
    }
    if (encoding !== null) return mismatch('text', declaredKind);
    return refuse(
      'mismatch',
      `This file is not ${KIND_NAMES[declaredKind].singular} as its name says, and not any format Lectern accepts. It may be damaged — export it again and upload that.`,
    );
  }
  if (format === 'zip') {
    if (!OFFICE_KINDS.includes(declaredKind)) return mismatch('zip', declaredKind);
    const early = officeKindFromNames(localEntryNames(head));
    if (early !== null && early !== declaredKind) return mismatch(early, declaredKind);
    return { ok: true, kind: declaredKind, needsZipInspection: true };
  }
  if (format === declaredKind) return { ok: true, kind: format, needsZipInspection: false };
  // Phones and chat apps often save a JPEG as .png (and the like): an image is accepted as the image it is.
  if (IMAGE_KINDS.includes(declaredKind) && (IMAGE_KINDS as readonly string[]).includes(format)) {
    return { ok: true, kind: format as MaterialKind, needsZipInspection: false };
  }
  if (format === 'ole' && OFFICE_KINDS.includes(declaredKind)) {
    const modern = declaredKind;
    return refuse(
      'mismatch',
      `This file is an old-format or password-protected Office file, not a modern .${modern} file. Remove any password, save it as .${modern} and upload it again.`,
    );
  }
  return mismatch(format, declaredKind);
}

/** Names of the local file headers that fit in the head (ZIP writers put [Content_Types].xml and the main parts first). */
function localEntryNames(head: Uint8Array): string[] {
  const names: string[] = [];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let offset = 0;
  while (offset + 30 <= head.length && view.getUint32(offset, true) === 0x04034b50 && names.length < 64) {
    const flags = view.getUint16(offset + 6, true);
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    if (offset + 30 + nameLength > head.length) break;
    names.push(Buffer.from(head.subarray(offset + 30, offset + 30 + nameLength)).toString('latin1'));
    // With a data descriptor (flag bit 3) the size is not in the local header: stop rather than guess.
    if (flags & 0x08) break;
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return names;
}

const OFFICE_MAIN_PARTS: ReadonlyArray<[MaterialKind, string]> = [
  ['docx', 'word/document.xml'],
  ['pptx', 'ppt/presentation.xml'],
  ['xlsx', 'xl/workbook.xml'],
];

function officeKindFromNames(names: readonly string[]): MaterialKind | null {
  for (const [kind, part] of OFFICE_MAIN_PARTS) if (names.includes(part)) return kind;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Images

export interface ImageLimits {
  maxSidePixels: number;
  maxPixels: number;
}

/** A small file can declare a huge canvas (a decompression bomb for thumbnailers and phones): the header is checked. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxSidePixels: 20_000, maxPixels: 100_000_000 };

export type ImageInspection = { ok: true; kind: MaterialKind; width: number; height: number } | MaterialRefusal;

const UNREADABLE_IMAGE = 'This image is damaged or only partly uploaded: its size cannot be read. Save it again and re-upload it.';

/** Reads an image's pixel size from its header (PNG, GIF, WebP) or frame header (JPEG) and checks it against the limits. */
export function inspectImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): ImageInspection {
  const format = sniffFormat(bytes);
  if (format === null || !(IMAGE_KINDS as readonly string[]).includes(format)) {
    return refuse('mismatch', 'This file is not a PNG, JPEG, GIF or WebP image. Upload the image itself.');
  }
  const kind = format as MaterialKind;
  const size = imageSize(bytes, kind);
  if (size === null || size.width <= 0 || size.height <= 0) return refuse('unreadable', UNREADABLE_IMAGE);
  const { width, height } = size;
  if (width > limits.maxSidePixels || height > limits.maxSidePixels || width * height > limits.maxPixels) {
    return refuse(
      'too_large',
      `This image is ${width} × ${height} pixels; Lectern accepts images up to ${Math.round(limits.maxPixels / 1e6)} megapixels and ${limits.maxSidePixels.toLocaleString('en')} pixels on a side. Scale it down and upload it again.`,
    );
  }
  return { ok: true, kind, width, height };
}

function imageSize(bytes: Uint8Array, kind: MaterialKind): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (end: number) => end <= bytes.length;
  switch (kind) {
    case 'png':
      // The IHDR chunk must come first.
      if (!has(24) || !startsWith(bytes, 12, 'IHDR')) return null;
      return { width: view.getUint32(16), height: view.getUint32(20) };
    case 'gif':
      return has(10) ? { width: view.getUint16(6, true), height: view.getUint16(8, true) } : null;
    case 'webp':
      if (startsWith(bytes, 12, 'VP8 ') && has(30) && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
        return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
      }
      if (startsWith(bytes, 12, 'VP8L') && has(25) && bytes[20] === 0x2f) {
        const bits = view.getUint32(21, true);
        return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
      }
      if (startsWith(bytes, 12, 'VP8X') && has(30)) {
        const u24 = (at: number) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
        return { width: u24(24) + 1, height: u24(27) + 1 };
      }
      return null;
    case 'jpeg': {
      // Walk the marker segments to the first start-of-frame (SOF0–SOF15 except DHT, JPG and DAC).
      let at = 2;
      while (has(at + 4)) {
        if (bytes[at] !== 0xff) return null;
        const marker = bytes[at + 1];
        if (marker === 0xff) {
          at++;
          continue;
        }
        if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
          at += 2;
          continue;
        }
        if (marker === 0xd9 || marker === 0xda) return null;
        const length = view.getUint16(at + 2);
        if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
          return has(at + 9) ? { width: view.getUint16(at + 7), height: view.getUint16(at + 5) } : null;
        }
        if (length < 2) return null;
        at += 2 + length;
      }
      return null;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ZIP (Office Open XML)

export interface ZipLimits {
  maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  maxTotalUncompressedBytes: number;
  /** Uncompressed ÷ compressed size of one entry. */
  maxCompressionRatio: number;
  /** Entries smaller than this are not held to the ratio (a tiny, repetitive XML part compresses very well). */
  ratioGraceBytes: number;
  /** [Content_Types].xml is read to tell Office kinds apart and spot macro-enabled documents. */
  maxContentTypesBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalUncompressedBytes: 512 * MB,
  maxCompressionRatio: 100,
  ratioGraceBytes: 100 * 1024,
  maxContentTypesBytes: 1 * MB,
};

export interface ZipEntry {
  name: string;
  crc32: number;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipInspection {
  ok: true;
  /** Which Office document the package is; null for a ZIP that is none of them. */
  kind: 'docx' | 'pptx' | 'xlsx' | null;
  entries: ZipEntry[];
  totalUncompressedBytes: number;
  /** Entries that are archives themselves (embedded workbooks are common in presentations); not opened here. */
  embeddedArchives: string[];
  zip64: boolean;
}

const DAMAGED_ZIP =
  'This document is damaged or was only partly uploaded: its table of contents cannot be read. Open it, save it again and re-upload it.';

class ZipFormatError extends Error {}

function readUint64(view: DataView, offset: number): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('64-bit value out of range');
  return Number(value);
}

const MACRO_PARTS = /(^|\/)(vbaproject\.bin|vbadata\.xml)$|(^|\/)activex\/[^/]*\.bin$/i;
const ARCHIVE_NAMES = /\.(zip|jar|rar|7z|gz|tgz|docx|docm|pptx|pptm|xlsx|xlsm|odt|odp|ods)$/i;

/**
 * Reads a ZIP's end of central directory (ZIP64 included) and central directory, and refuses packages that are
 * unsafe to open: too many entries, a zip bomb (declared sizes or ratios), paths that escape the package,
 * encryption, macros. For Office documents it reads [Content_Types].xml (inflated with a hard output limit).
 */
export function inspectZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipInspection | MaterialRefusal {
  try {
    return inspectZipUnsafe(bytes, limits);
  } catch (error) {
    if (error instanceof ZipFormatError || error instanceof RangeError) return refuse('unreadable', DAMAGED_ZIP);
    throw error;
  }
}

function inspectZipUnsafe(bytes: Uint8Array, limits: ZipLimits): ZipInspection | MaterialRefusal {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end of central directory record is 22 bytes plus a comment of at most 65,535 bytes.
  let eocd = -1;
  for (let offset = bytes.length - 22; offset >= Math.max(0, bytes.length - 22 - 0xffff); offset--) {
    if (view.getUint32(offset, true) === 0x06054b50 && offset + 22 + view.getUint16(offset + 20, true) <= bytes.length) {
      eocd = offset;
      break;
    }
  }
  if (eocd < 0) return refuse('unreadable', DAMAGED_ZIP);

  let diskNumber = view.getUint16(eocd + 4, true);
  let centralDisk = view.getUint16(eocd + 6, true);
  let entryCount = view.getUint16(eocd + 10, true);
  let centralSize = view.getUint32(eocd + 12, true);
  let centralOffset = view.getUint32(eocd + 16, true);
  let zip64 = false;
  const locator = eocd - 20;
  if (locator >= 0 && view.getUint32(locator, true) === 0x07064b50) {
    zip64 = true;
    const record = readUint64(view, locator + 8);
    if (record + 56 > locator || view.getUint32(record, true) !== 0x06064b50) throw new ZipFormatError('bad ZIP64 record');
    diskNumber = view.getUint32(record + 16, true);
    centralDisk = view.getUint32(record + 20, true);
    entryCount = readUint64(view, record + 32);
    centralSize = readUint64(view, record + 40);
    centralOffset = readUint64(view, record + 48);
  }
  if (diskNumber !== 0 || centralDisk !== 0) {
    return refuse('unreadable', 'This document is split across several files (a multi-part archive). Save it as one file and upload that.');
  }
  if (entryCount > limits.maxEntries) {
    return refuse(
      'too_many_entries',
      `This document is made of ${entryCount.toLocaleString('en')} parts; Lectern accepts at most ${limits.maxEntries.toLocaleString('en')}. It is probably not a real document — save it again from Word, PowerPoint or Excel.`,
    );
  }
  if (centralOffset + centralSize > eocd - (zip64 ? 20 : 0)) throw new ZipFormatError('central directory out of bounds');

  const entries: ZipEntry[] = [];
  const embeddedArchives: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  let offset = centralOffset;
  for (let i = 0; i < entryCount; i++) {
    if (offset + 46 > centralOffset + centralSize || view.getUint32(offset, true) !== 0x02014b50) {
      throw new ZipFormatError('bad central directory entry');
    }
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const entryCrc32 = view.getUint32(offset + 16, true);
    let compressedSize = view.getUint32(offset + 20, true);
    let uncompressedSize = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const entryDisk = view.getUint16(offset + 34, true);
    let localHeaderOffset = view.getUint32(offset + 42, true);
    const next = offset + 46 + nameLength + extraLength + commentLength;
    if (next > centralOffset + centralSize) throw new ZipFormatError('central directory entry out of bounds');
    const rawName = bytes.subarray(offset + 46, offset + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise code page 437, whose ASCII part is all the checks below need.
    const name = Buffer.from(rawName).toString(flags & 0x800 ? 'utf8' : 'latin1');

    // ZIP64 extra field: the 64-bit values replace the 32-bit fields that hold 0xFFFFFFFF, in this order.
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const size = view.getUint16(extra + 2, true);
      if (extra + 4 + size > extraEnd) throw new ZipFormatError('extra field out of bounds');
      if (id === 0x0001) {
        let field = extra + 4;
        const take = () => {
          if (field + 8 > extra + 4 + size) throw new ZipFormatError('short ZIP64 extra field');
          const value = readUint64(view, field);
          field += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      extra += 4 + size;
    }
    offset = next;

    if (entryDisk !== 0 && entryDisk !== 0xffff) throw new ZipFormatError('entry on another disk');
    if (name.includes('\0') || isUnsafePath(name)) {
      return refuse(
        'unsafe_path',
        `This document contains a part named “${printable(name)}” that points outside the document. It was not made by an Office program — save it again from Word, PowerPoint or Excel.`,
      );
    }
    if (flags & 0x01) {
      return refuse('encrypted', 'This document is encrypted. Remove the password, save it again and upload it.');
    }
    if (MACRO_PARTS.test(name)) {
      return refuse(
        'macros',
        'This document contains macros or ActiveX controls, which Lectern does not accept. Save it as a regular .docx, .pptx or .xlsx (without macros) and upload that.',
      );
    }
    if (method !== 0 && method !== 8) {
      return refuse(
        'unreadable',
        `This document uses a compression method (${method}) that Office programs do not write. Open it, save it again from Word, PowerPoint or Excel and re-upload it.`,
      );
    }
    if (method === 0 && compressedSize !== uncompressedSize) throw new ZipFormatError('stored entry with two sizes');
    if (localHeaderOffset + 30 > centralOffset) throw new ZipFormatError('local header out of bounds');
    if (uncompressedSize > limits.ratioGraceBytes && uncompressedSize > compressedSize * limits.maxCompressionRatio) {
      return refuse(
        'zip_bomb',
        `Part “${printable(name)}” of this document would expand ${Math.round(uncompressedSize / Math.max(1, compressedSize))} times when opened (at most ${limits.maxCompressionRatio} is allowed). Files built to expand like this are refused; save the document again from its Office program.`,
      );
    }
    total += uncompressedSize;
    if (total > limits.maxTotalUncompressedBytes) {
      return refuse(
        'zip_bomb',
        `This document would expand to more than ${megabytes(limits.maxTotalUncompressedBytes)} when opened. Split it into smaller documents, or compress the pictures in it, and upload those.`,
      );
    }
    // Two parts with one name: readers disagree on which one counts, so a checked part could hide another.
    const key = name.replace(/\\/g, '/').toLowerCase();
    if (seen.has(key)) {
      return refuse(
        'unsafe_path',
        `This document contains two parts named “${printable(name)}”. It was not made by an Office program — save it again from Word, PowerPoint or Excel.`,
      );
    }
    seen.add(key);
    if (ARCHIVE_NAMES.test(name)) embeddedArchives.push(name);
    entries.push({ name, crc32: entryCrc32, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
  }

  const overlap = checkLocalHeaders(bytes, entries, centralOffset);
  if (overlap !== null) return overlap;
  const kind = officeKindOf(bytes, entries, limits);
  if (typeof kind === 'object' && kind !== null) return kind;
  return { ok: true, kind, entries, totalUncompressedBytes: total, embeddedArchives, zip64 };
}

/**
 * Every entry must have its own local header, naming the same file, with its data ending before the next entry:
 * tools that read local headers then see the same package as tools that read the central directory, and no two
 * entries share compressed data (the overlapping-entry zip bomb).
 */
function checkLocalHeaders(bytes: Uint8Array, entries: readonly ZipEntry[], centralOffset: number): MaterialRefusal | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spans = entries.map((entry) => {
    const local = entry.localHeaderOffset;
    if (view.getUint32(local, true) !== 0x04034b50) throw new ZipFormatError('bad local header');
    const nameLength = view.getUint16(local + 26, true);
    const name = bytes.subarray(local + 30, local + 30 + nameLength);
    const central = Buffer.from(entry.name, entry.flags & 0x800 ? 'utf8' : 'latin1');
    if (!central.equals(name)) return null;
    const end = local + 30 + nameLength + view.getUint16(local + 28, true) + entry.compressedSize;
    if (end > centralOffset) throw new ZipFormatError('entry data out of bounds');
    return { start: local, end };
  });
  const sorted = spans.filter((span) => span !== null).sort((a, b) => a.start - b.start);
  const overlapping = sorted.some((span, i) => i > 0 && span.start < sorted[i - 1].end);
  if (spans.includes(null) || overlapping) {
    return refuse(
      'zip_bomb',
      'This document’s table of contents does not match its contents, a trick used by files built to expand without limit. Save the document again from its Office program and upload that.',
    );
  }
  return null;
}

function isUnsafePath(name: string): boolean {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return true;
  return path.split('/').some((segment) => segment === '..');
}

const printable = (name: string) => name.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, 120);

const CONTENT_TYPE_KINDS: ReadonlyArray<[ZipInspection['kind'], RegExp]> = [
  ['docx', /application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.(document|template)\.main\+xml/],
  ['pptx', /application\/vnd\.openxmlformats-officedocument\.presentationml\.(presentation|slideshow|template)\.main\+xml/],
  ['xlsx', /application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.(sheet|template)\.main\+xml/],
];

/** The Office kind from [Content_Types].xml and the main part's name; a refusal when the package hides macros. */
function officeKindOf(bytes: Uint8Array, entries: readonly ZipEntry[], limits: ZipLimits): ZipInspection['kind'] | MaterialRefusal {
  const fromNames = officeKindFromNames(entries.map((entry) => entry.name)) as ZipInspection['kind'];
  const contentTypes = entries.find((entry) => entry.name === '[Content_Types].xml');
  if (contentTypes === undefined) return fromNames === null ? null : refuse('unreadable', DAMAGED_ZIP);
  if (contentTypes.uncompressedSize > limits.maxContentTypesBytes) return refuse('unreadable', DAMAGED_ZIP);
  const data = entryData(bytes, contentTypes);
  const inflated =
    contentTypes.method === 0 ? { ok: true as const, data } : inflateWithLimit(data, Math.max(1, contentTypes.uncompressedSize));
  // A part that expands beyond its declared size has a lying header: the package was not made by an Office program.
  if (!inflated.ok || inflated.data.length !== contentTypes.uncompressedSize) {
    return refuse(
      'zip_bomb',
      'This document’s table of contents does not match its contents, a trick used by files built to expand without limit. Save the document again from its Office program and upload that.',
    );
  }
  const xml = Buffer.from(inflated.data).toString('utf8');
  if (/macroEnabled|vbaProject|application\/vnd\.ms-office\.activeX/i.test(xml)) {
    return refuse(
      'macros',
      'This document is macro-enabled, which Lectern does not accept. Save it as a regular .docx, .pptx or .xlsx (without macros) and upload that.',
    );
  }
  for (const [kind, pattern] of CONTENT_TYPE_KINDS) if (pattern.test(xml)) return kind;
  return fromNames;
}

function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localHeaderOffset;
  if (view.getUint32(local, true) !== 0x04034b50) throw new ZipFormatError('bad local header');
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipFormatError('entry data out of bounds');
  return bytes.subarray(start, start + entry.compressedSize);
}

export type InflateResult = { ok: true; data: Buffer } | MaterialRefusal;

/**
 * Inflates raw DEFLATE data (a ZIP entry) but never produces more than `maxOutputBytes`: zlib stops and the call
 * refuses, however small the declared size in a lying header.
 */
export function inflateWithLimit(deflated: Uint8Array, maxOutputBytes: number, format: 'raw' | 'zlib' = 'raw'): InflateResult {
  try {
    const maxOutputLength = Math.min(bufferConstants.MAX_LENGTH, Math.max(1, Math.floor(maxOutputBytes)));
    const options = { maxOutputLength, finishFlush: zlibConstants.Z_SYNC_FLUSH };
    const data = format === 'raw' ? inflateRawSync(deflated, options) : inflateSync(deflated, options);
    return { ok: true, data };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return refuse(
        'zip_bomb',
        `This file expands to more than ${megabytes(maxOutputBytes)} when opened, so it is refused as a possible zip bomb.`,
      );
    }
    return refuse('unreadable', 'Part of this file is damaged and cannot be decompressed. Save it again and re-upload it.');
  }
}

/**
 * Inflates every entry of an inspected package, one at a time, each limited to the size its header declares, and
 * checks size and CRC-32: a header that lies about its size, or damaged data, is refused before the package reaches
 * a converter. Memory holds at most one entry (itself within the inspection's limits).
 */
export function verifyZipContents(bytes: Uint8Array, inspection: ZipInspection): { ok: true } | MaterialRefusal {
  try {
    for (const entry of inspection.entries) {
      const data = entryData(bytes, entry);
      const inflated = entry.method === 0 ? { ok: true as const, data } : inflateWithLimit(data, Math.max(1, entry.uncompressedSize));
      if (!inflated.ok || inflated.data.length !== entry.uncompressedSize) {
        if (inflated.ok || inflated.code === 'zip_bomb') {
          return refuse(
            'zip_bomb',
            `Part “${printable(entry.name)}” of this document is not the size its table of contents says, a trick used by files built to expand without limit. Save the document again from its Office program and upload that.`,
          );
        }
        return refuse(
          'unreadable',
          `Part “${printable(entry.name)}” of this document is damaged. Open it, save it again and re-upload it.`,
        );
      }
      if (crc32(inflated.data) !== entry.crc32) {
        return refuse(
          'unreadable',
          `Part “${printable(entry.name)}” of this document is damaged. Open it, save it again and re-upload it.`,
        );
      }
      if (/\.rels$/i.test(entry.name)) {
        const external = externalTarget(inflated.data.toString('utf8'));
        if (external !== null) {
          return refuse(
            'active_content',
            `This document loads something from outside itself (“${printable(external).slice(0, 80)}”), which Lectern does not accept. Remove the linked template or object (keep plain hyperlinks), save it and upload it again.`,
          );
        }
      }
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof ZipFormatError || error instanceof RangeError) return refuse('unreadable', DAMAGED_ZIP);
    throw error;
  }
}

/**
 * The first external relationship that is not a plain hyperlink: a remote template, linked OLE object or linked
 * picture would be fetched by whatever opens or converts the document (the Follina and template-injection attacks).
 */
function externalTarget(rels: string): string | null {
  for (const [element] of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const attribute = (name: string) => {
      const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(element);
      return (match?.[1] ?? match?.[2] ?? '').trim();
    };
    if (attribute('TargetMode') !== 'External') continue;
    const hyperlink = /\/relationships\/hyperlink$/.test(attribute('Type'));
    if (hyperlink && /^(https?:|mailto:|#)/i.test(attribute('Target'))) continue;
    return attribute('Target');
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

export interface PdfLimits {
  /** Inflated size allowed for one object stream. */
  maxObjectStreamBytes: number;
  /** Inflated size allowed for all object streams together. */
  maxInflatedTotalBytes: number;
  /**
   * An encrypted PDF's object streams are ciphertext and cannot be scanned. Accept such a PDF only when the caller
   * re-renders it anyway (for example through a print-to-PDF step); by default it is refused.
   */
  allowUnscannedEncryptedStreams: boolean;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxObjectStreamBytes: 16 * MB,
  maxInflatedTotalBytes: 64 * MB,
  allowUnscannedEncryptedStreams: false,
};

export interface PdfInspection {
  ok: true;
  /** From the header, e.g. '1.7'. */
  version: string;
  /** A /Encrypt dictionary: usually only a permissions password; encrypted object streams cannot be scanned. */
  encrypted: boolean;
  /** The document asks to run an action when opened (in itself only a view setting such as “fit page”). */
  openAction: boolean;
  /** Compressed object streams that were inflated and scanned. */
  objectStreamsScanned: number;
  /** Encrypted object streams that could not be scanned (only when the limits allow them). */
  unscannedObjectStreams: number;
}

/** Names whose presence means a viewer could run something: scripts, launched programs, embedded files, forms. */
const ACTIVE_NAMES = new Set(['JavaScript', 'JS', 'AA', 'Launch', 'EmbeddedFile', 'EmbeddedFiles', 'RichMedia', 'XFA']);

const ACTIVE_CONTENT_MESSAGE =
  'This PDF contains JavaScript or other active content, which Lectern does not accept. Print it to a new PDF and upload that.';

/** Delimiters and white space end a PDF name (ISO 32000-1, 7.2.2). */
const NAME_PATTERN = /\/([^\0\t\n\f\r ()<>[\]{}/%]*)/g;

/** The names in PDF syntax, with #xx escapes decoded (/J#61vaScript is /JavaScript). */
function pdfNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(NAME_PATTERN)) {
    names.add(
      match[1].includes('#')
        ? match[1].replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        : match[1],
    );
  }
  return names;
}

const firstActiveName = (names: Set<string>) => [...ACTIVE_NAMES].find((name) => names.has(name)) ?? null;

/**
 * Checks a whole PDF: header, an end-of-file marker, and no active content anywhere in its object syntax, including
 * objects packed into compressed object streams (inflated with per-stream and total output limits). Stream data
 * (page content, images) is skipped, so bytes inside an image cannot be mistaken for a name.
 */
export function inspectPdf(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS): PdfInspection | MaterialRefusal {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = buffer.subarray(0, 1024).toString('latin1');
  const version = /%PDF-(\d\.\d)/.exec(header)?.[1];
  if (version === undefined) {
    return refuse('mismatch', 'This file is not a PDF: it does not start with a PDF header. Export it to PDF again and upload that.');
  }
  if (buffer.lastIndexOf('%%EOF', undefined, 'latin1') < Math.max(0, buffer.length - 1024)) {
    return refuse('unreadable', 'This PDF is incomplete: its end is missing, so it was damaged or only partly uploaded. Upload it again.');
  }

  const names = new Set<string>();
  let objectStreamsScanned = 0;
  let inflatedTotal = 0;
  let unscannedObjectStreams = 0;
  let position = 0;
  while (position < buffer.length) {
    const keyword = nextStreamKeyword(buffer, position);
    const outside = buffer.subarray(position, keyword === null ? buffer.length : keyword.keywordStart).toString('latin1');
    for (const name of pdfNames(outside)) names.add(name);
    if (keyword === null) break;
    const end = buffer.indexOf('endstream', keyword.dataStart, 'latin1');
    const dataEnd = end < 0 ? buffer.length : end;
    // The stream's dictionary is the syntax since the object began.
    const objectStart = Math.max(...[' obj', '\nobj', '\robj', '\tobj'].map((header) => outside.lastIndexOf(header)));
    const dictionary = pdfNames(outside.slice(objectStart < 0 ? Math.max(0, outside.length - 4096) : objectStart));
    // A reader finds objects through the cross-reference table, so an object may sit where a linear scan sees
    // stream data (inside a stream, or after a `stream` keyword in a comment): such data is scanned as syntax.
    if (hidesObject(buffer, keyword.dataStart, dataEnd)) {
      for (const name of pdfNames(buffer.subarray(keyword.dataStart, dataEnd).toString('latin1'))) names.add(name);
    }
    // /N and /First are required in an object stream's dictionary, and /Type may be an indirect reference.
    if (dictionary.has('ObjStm') || (dictionary.has('N') && dictionary.has('First'))) {
      const filters = [...dictionary].filter((name) => name.endsWith('Decode') || name === 'Fl');
      // Other filters, chains and predictors would turn the inflated bytes into different text than we scan.
      if (filters.length > 1 || (filters.length === 1 && !['FlateDecode', 'Fl'].includes(filters[0]))) return tooComplexPdf();
      if (dictionary.has('Predictor')) return tooComplexPdf();
      const raw = buffer.subarray(keyword.dataStart, dataEnd);
      const budget = Math.min(limits.maxObjectStreamBytes, limits.maxInflatedTotalBytes - inflatedTotal);
      if (budget <= 0) return tooComplexPdf();
      const inflated = filters.length === 0 ? { ok: true as const, data: raw } : inflateWithLimit(raw, budget, 'zlib');
      if (inflated.ok) {
        inflatedTotal += inflated.data.length;
        objectStreamsScanned++;
        for (const name of pdfNames(inflated.data.toString('latin1'))) names.add(name);
      } else if (inflated.code === 'zip_bomb') {
        return tooComplexPdf();
      } else {
        // Ciphertext in an encrypted PDF, or a damaged stream: decided below, once the trailer has been read.
        unscannedObjectStreams++;
      }
    }
    position = end < 0 ? buffer.length : end + 'endstream'.length;
  }

  if (firstActiveName(names) !== null) return refuse('active_content', ACTIVE_CONTENT_MESSAGE);
  const encrypted = names.has('Encrypt');
  if (unscannedObjectStreams > 0) {
    if (!encrypted) {
      return refuse('unreadable', 'Part of this PDF is damaged and cannot be read. Export or print it to a new PDF and upload that.');
    }
    if (!limits.allowUnscannedEncryptedStreams) {
      return refuse(
        'encrypted',
        'This PDF is encrypted, so Lectern cannot check it for active content. Remove the protection (or print it to a new PDF) and upload that.',
      );
    }
  }
  return { ok: true, version, encrypted, openAction: names.has('OpenAction'), objectStreamsScanned, unscannedObjectStreams };
}

/** Whether `N G obj` occurs in the data: no real image or page content holds an object header. */
function hidesObject(buffer: Buffer, start: number, end: number): boolean {
  let at = start;
  for (;;) {
    const index = buffer.indexOf('obj', at, 'latin1');
    if (index < 0 || index >= end) return false;
    const before = buffer.subarray(Math.max(start, index - 24), index).toString('latin1');
    if (/(^|[^0-9])\d+[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]*$/.test(before)) return true;
    at = index + 3;
  }
}

const tooComplexPdf = () =>
  refuse('too_complex', 'This PDF is packed in a way Lectern cannot check safely. Print it to a new PDF and upload that.');

/** The next `stream` keyword (after a dictionary's `>>`, followed by an end of line) from `from`. */
function nextStreamKeyword(buffer: Buffer, from: number): { keywordStart: number; dataStart: number } | null {
  let at = from;
  for (;;) {
    const index = buffer.indexOf('stream', at, 'latin1');
    if (index < 0) return null;
    at = index + 6;
    let before = index - 1;
    while (before >= 0 && [0x20, 0x09, 0x0a, 0x0d, 0x0c, 0x00].includes(buffer[before])) before--;
    if (before < 1 || buffer[before] !== 0x3e || buffer[before - 1] !== 0x3e) continue;
    if (buffer[at] === 0x0d && buffer[at + 1] === 0x0a) return { keywordStart: index, dataStart: at + 2 };
    if (buffer[at] === 0x0a || buffer[at] === 0x0d) return { keywordStart: index, dataStart: at + 1 };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// All checks for one file

export interface MaterialLimits {
  zip: ZipLimits;
  pdf: PdfLimits;
  image: ImageLimits;
}

export const DEFAULT_MATERIAL_LIMITS: MaterialLimits = { zip: DEFAULT_ZIP_LIMITS, pdf: DEFAULT_PDF_LIMITS, image: DEFAULT_IMAGE_LIMITS };

export interface MaterialInspection {
  ok: true;
  /** The kind the content shows (an image may differ from its extension). */
  kind: MaterialKind;
  mime: string;
  convertToPdf: boolean;
  encoding?: 'utf-8' | 'gbk';
  pdf?: PdfInspection;
  zip?: ZipInspection;
  image?: { width: number; height: number };
}

/**
 * Runs every check on a whole uploaded file, cheapest first: name, size, magic bytes, then the kind's structure
 * (ZIP directory and every part's size and CRC; PDF syntax and object streams; image header; text encoding).
 */
export function inspectMaterial(
  fileName: string,
  bytes: Uint8Array,
  limits: MaterialLimits = DEFAULT_MATERIAL_LIMITS,
): MaterialInspection | MaterialRefusal {
  const type = materialTypeFor(fileName);
  if (!type.ok) return type;
  const tooLarge = checkMaterialSize(type.kind, bytes.length);
  if (tooLarge !== null) return tooLarge;
  const sniffed = sniffMaterial(bytes.subarray(0, 4096), type.kind);
  if (!sniffed.ok) return sniffed;
  const { mime, convertToPdf } = MATERIAL_TYPE_BY_KIND[sniffed.kind];
  const base = { ok: true as const, kind: sniffed.kind, mime: sniffed.kind === type.kind ? type.mime : mime, convertToPdf };
  switch (sniffed.kind) {
    case 'pdf': {
      const pdf = inspectPdf(bytes, limits.pdf);
      return pdf.ok ? { ...base, pdf } : pdf;
    }
    case 'docx':
    case 'pptx':
    case 'xlsx': {
      const zip = inspectZip(bytes, limits.zip);
      if (!zip.ok) return zip;
      if (zip.kind !== sniffed.kind) return mismatch(zip.kind ?? 'zip', sniffed.kind);
      const verified = verifyZipContents(bytes, zip);
      return verified.ok ? { ...base, zip } : verified;
    }
    case 'text': {
      // The whole file, not only its head, must be text.
      const encoding = detectTextEncoding(bytes);
      if (encoding === null) return refuse('mismatch', NOT_TEXT);
      return { ...base, encoding };
    }
    default: {
      const image = inspectImage(bytes, limits.image);
      return image.ok ? { ...base, image: { width: image.width, height: image.height } } : image;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Page count

/**
 * Counts pages with pdf.js in a worker thread: pdf.js in Node parses on the calling thread, which for a large
 * PDF (or one whose cross-reference table must be rebuilt) would hold the event loop for seconds; a PDF that makes
 * it spin is stopped at the deadline.
 */
const PAGE_COUNT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { getDocument, VerbosityLevel } = await import(workerData.pdfjs);
  const task = getDocument({
    data: new Uint8Array(workerData.data),
    isEvalSupported: false,
    disableFontFace: true,
    stopAtErrors: true,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    parentPort.postMessage({ pages: (await task.promise).numPages });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  } finally {
    await task.destroy();
  }
})();
`;

export interface PdfPageCountOptions {
  /** The worker is stopped after this long. */
  timeoutMs?: number;
  /** The worker's JavaScript heap (the file itself is outside it). */
  heapMb?: number;
}

/**
 * The page count as pdf.js, the reader in the page, sees it (the documents worker counts a converted PDF the same
 * way), worked out in a worker thread of its own. Rejects when pdf.js cannot open the file, runs out of its heap or
 * takes longer than `timeoutMs`.
 */
export function countPdfPages(bytes: Uint8Array, options: PdfPageCountOptions = {}): Promise<number> {
  const { timeoutMs = 30_000, heapMb = 512 } = options;
  const pdfjs = pathToFileURL(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;
  // A copy the worker owns (pdf.js detaches what it is given); the caller's bytes stay as they are.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const data = copy.buffer;
  return new Promise<number>((resolve, reject) => {
    const worker = new Worker(PAGE_COUNT_WORKER, {
      eval: true,
      workerData: { pdfjs, data },
      transferList: [data],
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`pdf.js did not open the PDF in ${timeoutMs} ms`))), timeoutMs);
    worker.once('message', (answer: { pages?: number; error?: string }) =>
      settle(() => (typeof answer.pages === 'number' ? resolve(answer.pages) : reject(new Error(answer.error ?? 'pdf.js failed')))),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the page counter stopped (exit code ${code})`))));
  });
}

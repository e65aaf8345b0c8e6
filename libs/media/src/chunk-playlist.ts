import type { HlsMediaPlaylist } from './master-playlist.js';

/** What one chunk of one rendition has written so far. */
export interface ChunkRenditionState {
  /** The chunk's own playlist as last read, or null before its first segment. */
  playlist: Pick<HlsMediaPlaylist, 'segments' | 'targetDurationSec'> | null;
  /** The chunk's job finished: its playlist is final. */
  complete: boolean;
  /** The init segment its segments play after, as the joined playlist names it. */
  initUri: string;
  /**
   * The chunk's span length: it encodes a little past it (see CHUNK_OVERLAP_SEC), and the segments
   * that start at or after it are the next chunk's. Unset (or null) for a chunk that runs to the end.
   */
  spanSec?: number | null;
}

/** One segment of the joined rendition: where it is in its chunk and what it is called in the output. */
export interface JoinedSegment {
  chunk: number;
  /** The file name in the chunk's rendition directory. */
  sourceUri: string;
  /** The file name in the output rendition directory, numbered across chunks. */
  uri: string;
  durationSec: number;
  initUri: string;
}

export interface JoinedRendition {
  /** The contiguous finished prefix: every segment of the finished leading chunks, then those the first unfinished chunk has listed. */
  segments: JoinedSegment[];
  /** Every chunk finished: the rendition is complete. */
  complete: boolean;
  targetDurationSec: number;
}

/** Segment durations are printed with six decimals; a segment that starts within this of a span's end starts the next chunk. */
const SPAN_TOLERANCE_SEC = 0.001;

/**
 * Joins the chunks' playlists of one rendition in order. Only the contiguous finished prefix counts:
 * chunk 2's segments are not listed while chunk 1 is still running, so the output grows in order
 * and never has a hole. Segments are renumbered from `seg_00000` across chunks with `segmentPattern`.
 */
export function joinChunkPlaylists(
  chunks: readonly ChunkRenditionState[],
  options: { segmentPattern: string; segmentSec: number },
): JoinedRendition {
  const segments: JoinedSegment[] = [];
  let target = Math.ceil(options.segmentSec - 1e-9);
  let complete = true;
  for (const [chunk, state] of chunks.entries()) {
    if (state.playlist?.targetDurationSec !== undefined) target = Math.max(target, state.playlist.targetDurationSec);
    let startSec = 0;
    for (const segment of state.playlist?.segments ?? []) {
      // Past the span: the overlap encoded only so the span's last frames see what the single-process encode saw.
      if (state.spanSec != null && startSec >= state.spanSec - SPAN_TOLERANCE_SEC) break;
      startSec += segment.durationSec;
      segments.push({
        chunk,
        sourceUri: segment.uri,
        uri: segmentFileName(options.segmentPattern, segments.length),
        durationSec: segment.durationSec,
        initUri: state.initUri,
      });
      target = Math.max(target, Math.round(segment.durationSec));
    }
    if (!state.complete) {
      complete = false;
      break;
    }
  }
  return { segments, complete, targetDurationSec: target };
}

/**
 * The output rendition's playlist: EVENT while it grows, `#EXT-X-ENDLIST` appended once `ended`.
 * EXT-X-MAP is repeated only where a chunk's init segment differs from the one before.
 */
export function renderEventPlaylist(joined: JoinedRendition, ended: boolean): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${joined.targetDurationSec}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  let init: string | null = null;
  for (const segment of joined.segments) {
    if (segment.initUri !== init) {
      init = segment.initUri;
      lines.push(`#EXT-X-MAP:URI="${init}"`);
    }
    lines.push(`#EXTINF:${segment.durationSec.toFixed(6)},`, segment.uri);
  }
  if (ended) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/** `seg_%05d.m4s`, 7 → `seg_00007.m4s` (the `%d` / `%0Nd` forms ffmpeg's segment patterns use). */
export function segmentFileName(pattern: string, index: number): string {
  const match = /%(0(\d+))?d/.exec(pattern);
  if (!match) throw new Error(`segment pattern "${pattern}" has no %d`);
  const width = match[2] ? Number(match[2]) : 0;
  return pattern.replace(match[0], String(index).padStart(width, '0'));
}

const CONTAINER_BOXES = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'mvex', 'dinf', 'udta']);

/**
 * Whether two fMP4 init segments describe the same tracks apart from their edit lists. A chunk that
 * starts later carries its start in its edit list (`edts`); its fragments carry absolute decode
 * times, so they play after chunk 0's init segment exactly as after their own.
 */
export function sameInitIgnoringEditLists(a: Uint8Array, b: Uint8Array): boolean {
  const left = leafBoxes(a);
  const right = leafBoxes(b);
  if (left === null || right === null || left.length !== right.length) return false;
  return left.every((box, i) => {
    const other = right[i];
    return other !== undefined && box.path === other.path && Buffer.compare(box.bytes, other.bytes) === 0;
  });
}

interface LeafBox {
  path: string;
  bytes: Uint8Array;
}

/** Every non-container box with its path, `edts` subtrees left out; null for a malformed file. */
function leafBoxes(data: Uint8Array, path = '', out: LeafBox[] = []): LeafBox[] | null {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  while (offset < view.length) {
    if (offset + 8 > view.length) return null;
    let size = view.readUInt32BE(offset);
    const type = view.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > view.length) return null;
      size = Number(view.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = view.length - offset;
    }
    if (size < header || offset + size > view.length) return null;
    const body = view.subarray(offset + header, offset + size);
    const here = `${path}/${type}`;
    if (type === 'edts') {
      // left out on purpose
    } else if (CONTAINER_BOXES.has(type)) {
      if (leafBoxes(body, here, out) === null) return null;
    } else {
      out.push({ path: here, bytes: view.subarray(offset, offset + size) });
    }
    offset += size;
  }
  return out;
}

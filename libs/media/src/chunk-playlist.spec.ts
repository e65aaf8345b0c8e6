import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  joinChunkPlaylists,
  renderEventPlaylist,
  sameInitIgnoringEditLists,
  segmentFileName,
  type ChunkRenditionState,
} from './chunk-playlist.js';
import { parseMediaPlaylist } from './master-playlist.js';

const segs = (n: number, duration = 4) =>
  Array.from({ length: n }, (_, i) => ({ uri: `seg_${String(i).padStart(5, '0')}.m4s`, durationSec: duration, title: '' }));
const chunk = (n: number | null, complete: boolean, initUri = 'init_720p.mp4'): ChunkRenditionState => ({
  playlist: n === null ? null : { segments: segs(n), targetDurationSec: 4 },
  complete,
  initUri,
});
const options = { segmentPattern: 'seg_%05d.m4s', segmentSec: 4 };

describe('joining chunk playlists', () => {
  it('lists the contiguous finished prefix, renumbered across chunks', () => {
    const joined = joinChunkPlaylists([chunk(5, true), chunk(2, false), chunk(5, true)], options);
    expect(joined.complete).toBe(false);
    expect(joined.segments.map((s) => [s.chunk, s.sourceUri, s.uri])).toEqual([
      [0, 'seg_00000.m4s', 'seg_00000.m4s'],
      [0, 'seg_00001.m4s', 'seg_00001.m4s'],
      [0, 'seg_00002.m4s', 'seg_00002.m4s'],
      [0, 'seg_00003.m4s', 'seg_00003.m4s'],
      [0, 'seg_00004.m4s', 'seg_00004.m4s'],
      [1, 'seg_00000.m4s', 'seg_00005.m4s'],
      [1, 'seg_00001.m4s', 'seg_00006.m4s'],
    ]);
  });

  it.each([
    ['nothing yet', [chunk(null, false), chunk(5, true)], 0, false],
    ['chunk 0 running with two segments', [chunk(2, false), chunk(5, true)], 2, false],
    ['all finished', [chunk(5, true), chunk(5, true), chunk(3, true)], 13, true],
    ['a later chunk finished first', [chunk(5, true), chunk(null, false), chunk(5, true)], 5, false],
  ])('%s', (_name, chunks, count, complete) => {
    const joined = joinChunkPlaylists(chunks, options);
    expect([joined.segments.length, joined.complete]).toEqual([count, complete]);
  });

  it('states the later segments’ target duration while chunk 0 has listed only its 2 s first segment', () => {
    const first: ChunkRenditionState = {
      playlist: { segments: segs(1, 2), targetDurationSec: 2 },
      complete: false,
      initUri: 'init_720p.mp4',
    };
    const joined = joinChunkPlaylists([first, chunk(5, true)], options);
    expect(joined.segments.map((s) => s.durationSec)).toEqual([2]);
    expect(joined.targetDurationSec).toBe(4);
    // Then every segment of chunk 0 (2 s, then 4 s ones) and the next chunk's 4 s segments, numbered on.
    const done: ChunkRenditionState = {
      playlist: { segments: [...segs(1, 2), ...segs(4).slice(1)], targetDurationSec: 4 },
      complete: true,
      initUri: 'init_720p.mp4',
    };
    const all = joinChunkPlaylists([done, chunk(2, true)], options);
    expect(all.segments.map((s) => [s.uri, s.durationSec])).toEqual([
      ['seg_00000.m4s', 2],
      ['seg_00001.m4s', 4],
      ['seg_00002.m4s', 4],
      ['seg_00003.m4s', 4],
      ['seg_00004.m4s', 4],
      ['seg_00005.m4s', 4],
    ]);
    expect(parseMediaPlaylist(renderEventPlaylist(all, true))).toMatchObject({ targetDurationSec: 4, totalDurationSec: 22 });
  });

  it('leaves out the segments a chunk encoded past its span (the overlap), not the last chunk’s', () => {
    const overlapping = (n: number, spanSec: number | null, complete: boolean): ChunkRenditionState => ({
      playlist: {
        segments: [...segs(n), { uri: `seg_${String(n).padStart(5, '0')}.m4s`, durationSec: 0.5, title: '' }],
        targetDurationSec: 4,
      },
      complete,
      initUri: 'init_720p.mp4',
      spanSec,
    });
    const joined = joinChunkPlaylists([overlapping(3, 12.000001, true), overlapping(2, 8, true), overlapping(1, null, true)], options);
    expect(joined.segments.map((s) => [s.chunk, s.sourceUri, s.uri, s.durationSec])).toEqual([
      [0, 'seg_00000.m4s', 'seg_00000.m4s', 4],
      [0, 'seg_00001.m4s', 'seg_00001.m4s', 4],
      [0, 'seg_00002.m4s', 'seg_00002.m4s', 4],
      [1, 'seg_00000.m4s', 'seg_00003.m4s', 4],
      [1, 'seg_00001.m4s', 'seg_00004.m4s', 4],
      [2, 'seg_00000.m4s', 'seg_00005.m4s', 4],
      [2, 'seg_00001.m4s', 'seg_00006.m4s', 0.5],
    ]);
    expect(joined.complete).toBe(true);
    // While a chunk runs, its segments inside the span are listed as they come.
    expect(joinChunkPlaylists([{ ...chunk(2, false), spanSec: 12 }], options).segments).toHaveLength(2);
  });

  it('writes an EVENT playlist that ffmpeg-style readers parse, ENDLIST only when ended', () => {
    const joined = joinChunkPlaylists([chunk(2, true), chunk(1, true)], options);
    const growing = renderEventPlaylist(joined, false);
    expect(growing).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-TARGETDURATION:4',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:EVENT',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-MAP:URI="init_720p.mp4"',
        '#EXTINF:4.000000,',
        'seg_00000.m4s',
        '#EXTINF:4.000000,',
        'seg_00001.m4s',
        '#EXTINF:4.000000,',
        'seg_00002.m4s',
        '',
      ].join('\n'),
    );
    const ended = parseMediaPlaylist(renderEventPlaylist(joined, true));
    expect(ended).toMatchObject({ playlistType: 'EVENT', endList: true, initUri: 'init_720p.mp4', totalDurationSec: 12 });
    expect(parseMediaPlaylist(growing).endList).toBe(false);
  });

  it('repeats EXT-X-MAP only where a chunk needs its own init segment', () => {
    const joined = joinChunkPlaylists([chunk(1, true), chunk(1, true, 'init_720p_1.mp4'), chunk(1, true, 'init_720p_1.mp4')], options);
    const maps = renderEventPlaylist(joined, true)
      .split('\n')
      .filter((l) => l.startsWith('#EXT-X-MAP'));
    expect(maps).toEqual(['#EXT-X-MAP:URI="init_720p.mp4"', '#EXT-X-MAP:URI="init_720p_1.mp4"']);
  });

  it('only ever grows: a later state lists what an earlier one listed, in the same order and names', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (totals, steps) => {
          // Chunks progress independently; each step advances one chunk by a segment (or finishes it).
          const written = totals.map(() => 0);
          const done = totals.map(() => false);
          let previous: string[] = [];
          for (const step of steps) {
            const i = step % totals.length;
            if (written[i]! < totals[i]!) written[i]! += 1;
            else done[i] = true;
            const joined = joinChunkPlaylists(
              totals.map((_, k) => chunk(written[k]! > 0 ? written[k]! : null, done[k]!)),
              options,
            );
            const names = joined.segments.map((s) => `${s.chunk}/${s.sourceUri}=${s.uri}`);
            expect(names.slice(0, previous.length)).toEqual(previous);
            previous = names;
          }
        },
      ),
    );
  });

  it('names segments with ffmpeg patterns', () => {
    expect(segmentFileName('seg_%05d.m4s', 7)).toBe('seg_00007.m4s');
    expect(segmentFileName('s%d.ts', 123)).toBe('s123.ts');
    expect(() => segmentFileName('seg.m4s', 1)).toThrow(/%d/);
  });
});

describe('comparing init segments', () => {
  const box = (type: string, ...children: Buffer[]) => {
    const body = Buffer.concat(children);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(8 + body.length);
    header.write(type, 4, 'latin1');
    return Buffer.concat([header, body]);
  };
  const leaf = (type: string, text: string) => box(type, Buffer.from(text));
  const init = (edit: string | null, stsd = 'avc1') =>
    Buffer.concat([
      leaf('ftyp', 'iso5'),
      box(
        'moov',
        leaf('mvhd', 'x'),
        box('trak', leaf('tkhd', 't'), ...(edit ? [box('edts', leaf('elst', edit))] : []), box('mdia', leaf('stsd', stsd))),
      ),
    ]);

  it.each([
    ['the same file', init('a'), init('a'), true],
    ['only the edit lists differ', init('empty edit of 12 s'), init('b'), true],
    ['one has no edit list', init(null), init('b'), true],
    ['the sample description differs', init('a', 'avc1-A'), init('a', 'avc1-B'), false],
    ['a truncated file', init('a').subarray(0, 30), init('a'), false],
  ])('%s', (_name, a, b, same) => {
    expect(sameInitIgnoringEditLists(a, b)).toBe(same);
  });
});

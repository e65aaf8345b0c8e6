import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PlaylistParseError, parseMediaPlaylist } from './master-playlist.js';
import { avcCodecOfInit, previewMediaPlaylist, sealEventPlaylist } from './preview-playlist.js';

// As ffmpeg 5.1 writes a rendition with -hls_playlist_type event, mid-encode and at the end.
const GROWING = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init_720p.mp4"
#EXTINF:4.000000,
seg_00000.m4s
#EXTINF:4.000000,
seg_00001.m4s
`;
const FINISHED = `${GROWING}#EXTINF:1.500000,
seg_00002.m4s
#EXT-X-ENDLIST
`;

describe('previewMediaPlaylist', () => {
  it('lists the first segments of a growing playlist as EVENT, without ENDLIST', () => {
    const text = previewMediaPlaylist(parseMediaPlaylist(GROWING), 1);
    expect(text).toBe(`#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init_720p.mp4"
#EXTINF:4.000000,
seg_00000.m4s
`);
  });

  it('keeps the later segments’ target duration while only the short first segment is listed', () => {
    // ffmpeg's own playlist after the 2 s first segment: its target duration grows with the next one.
    const first = parseMediaPlaylist(
      GROWING.replace('#EXT-X-TARGETDURATION:4', '#EXT-X-TARGETDURATION:2')
        .replace('#EXTINF:4.000000,\nseg_00000', '#EXTINF:2.000000,\nseg_00000')
        .replace('#EXTINF:4.000000,\nseg_00001.m4s\n', ''),
    );
    expect(first.segments.map((s) => s.durationSec)).toEqual([2]);
    expect(parseMediaPlaylist(previewMediaPlaylist(first, 1)).targetDurationSec).toBe(2);
    const preview = parseMediaPlaylist(previewMediaPlaylist(first, 1, 4));
    expect(preview).toMatchObject({ targetDurationSec: 4, endList: false });
    expect(preview.segments.map((s) => [s.uri, s.durationSec])).toEqual([['seg_00000.m4s', 2]]);
    // A 4.004 s segment (29.97 fps) still rounds into the target as before.
    expect(parseMediaPlaylist(previewMediaPlaylist(parseMediaPlaylist(FINISHED), 3, 4.004004)).targetDurationSec).toBe(5);
  });

  it('adds ENDLIST only once every segment of a finished rendition is included', () => {
    const finished = parseMediaPlaylist(FINISHED);
    expect(parseMediaPlaylist(previewMediaPlaylist(finished, 2)).endList).toBe(false);
    const all = parseMediaPlaylist(previewMediaPlaylist(finished, 3));
    expect(all).toMatchObject({ endList: true, playlistType: 'EVENT', initUri: 'init_720p.mp4', targetDurationSec: 4 });
    expect(all.segments.map((s) => s.uri)).toEqual(['seg_00000.m4s', 'seg_00001.m4s', 'seg_00002.m4s']);
  });

  it('an empty preview still parses (no segments, target duration at least 1)', () => {
    const empty = parseMediaPlaylist(previewMediaPlaylist(parseMediaPlaylist(GROWING), 0));
    expect(empty.segments).toEqual([]);
    expect(empty.endList).toBe(false);
  });

  it('always names exactly the first n segments, in order, and ends only when complete', () => {
    const segment = fc.record({ durationSec: fc.double({ min: 0.04, max: 10, noNaN: true }), title: fc.constant('') });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 40 }), fc.boolean(), fc.nat(50), (segments, endList, count) => {
        const source = {
          version: 7,
          targetDurationSec: 4,
          mediaSequence: 0,
          playlistType: 'EVENT',
          independentSegments: true,
          endList,
          initUri: 'init_a.mp4',
          segments: segments.map((s, i) => ({ ...s, uri: `seg_${String(i).padStart(5, '0')}.m4s` })),
          totalDurationSec: 0,
        };
        const preview = parseMediaPlaylist(previewMediaPlaylist(source, count));
        const n = Math.min(count, segments.length);
        expect(preview.segments.map((s) => s.uri)).toEqual(source.segments.slice(0, n).map((s) => s.uri));
        expect(preview.endList).toBe(endList && n === segments.length);
        expect(preview.playlistType).toBe('EVENT');
        for (const s of preview.segments) expect(s.durationSec).toBeLessThanOrEqual(preview.targetDurationSec! + 0.5);
      }),
    );
  });
});

describe('sealEventPlaylist', () => {
  it('restates a finished EVENT playlist as VOD, keeping every segment', () => {
    const sealed = parseMediaPlaylist(sealEventPlaylist(FINISHED));
    expect(sealed).toMatchObject({ playlistType: 'VOD', endList: true });
    expect(sealed.segments).toEqual(parseMediaPlaylist(FINISHED).segments);
  });

  it('refuses a playlist that has not ended', () => {
    expect(() => sealEventPlaylist(GROWING)).toThrow(PlaylistParseError);
  });

  it('leaves a VOD playlist as it is and types an untyped one', () => {
    const vod = sealEventPlaylist(FINISHED);
    expect(sealEventPlaylist(vod)).toBe(vod);
    const untyped = FINISHED.replace('#EXT-X-PLAYLIST-TYPE:EVENT\n', '');
    expect(parseMediaPlaylist(sealEventPlaylist(untyped)).playlistType).toBe('VOD');
  });
});

describe('avcCodecOfInit', () => {
  it('reads profile, compatibility and level from the avcC box', () => {
    const box = [0, 0, 0, 40, ...Buffer.from('avcC'), 1, 0x64, 0x00, 0x1f, 0xff];
    const init = Uint8Array.from([...Buffer.from('....ftypisom....moov'), ...box]);
    expect(avcCodecOfInit(init)).toBe('avc1.64001f');
  });

  it('is null for an audio-only init segment or junk', () => {
    expect(avcCodecOfInit(Uint8Array.from(Buffer.from('....ftypisom....moov....mp4a....esds')))).toBeNull();
    expect(avcCodecOfInit(new Uint8Array(0))).toBeNull();
  });
});

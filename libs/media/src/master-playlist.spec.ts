import { describe, expect, it } from '@jest/globals';
import { PlaylistParseError, parseAttributeList, parseMasterPlaylist, parseMediaPlaylist } from './master-playlist.js';

// As written by Debian's ffmpeg 5.1 with -var_stream_map "v:0,agroup:aud,name:720p … a:0,agroup:aud,name:audio,default:yes".
const FFMPEG_MASTER = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_aud",NAME="audio_2",DEFAULT=YES,URI="audio/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=3110800,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="group_aud"
720p/index.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=910800,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="group_aud"
360p/index.m3u8

`;

const OUR_MASTER = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=800000,AVERAGE-BANDWIDTH=500000,RESOLUTION=854x480,FRAME-RATE=29.970,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud"
480p/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=70000,AVERAGE-BANDWIDTH=66000,CODECS="mp4a.40.2"
audio_low/index.m3u8
`;

const MEDIA = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init_720p.mp4"
#EXTINF:4.000000,
seg_00000.m4s
#EXTINF:2.000000,
seg_00001.m4s
#EXT-X-ENDLIST
`;

describe('parseMasterPlaylist', () => {
  it("reads ffmpeg's own master", () => {
    const master = parseMasterPlaylist(FFMPEG_MASTER);
    expect(master.version).toBe(7);
    expect(master.independentSegments).toBe(false);
    expect(master.renditions).toEqual([
      {
        type: 'AUDIO',
        groupId: 'group_aud',
        name: 'audio_2',
        uri: 'audio/index.m3u8',
        isDefault: true,
        autoselect: false,
        attributes: { TYPE: 'AUDIO', 'GROUP-ID': 'group_aud', NAME: 'audio_2', DEFAULT: 'YES', URI: 'audio/index.m3u8' },
      },
    ]);
    expect(master.variants.map((v) => [v.uri, v.bandwidth, v.resolution, v.codecs, v.audioGroup])).toEqual([
      ['720p/index.m3u8', 3110800, { width: 1280, height: 720 }, ['avc1.64001f', 'mp4a.40.2'], 'group_aud'],
      ['360p/index.m3u8', 910800, { width: 640, height: 360 }, ['avc1.64001e', 'mp4a.40.2'], 'group_aud'],
    ]);
  });

  it('reads the master we publish, including FRAME-RATE, AVERAGE-BANDWIDTH and audio-only variants', () => {
    const master = parseMasterPlaylist(OUR_MASTER);
    expect(master.independentSegments).toBe(true);
    expect(master.renditions[0]).toMatchObject({ groupId: 'aud', channels: '2', autoselect: true });
    const [video, audioOnly] = master.variants;
    expect(video).toMatchObject({ bandwidth: 800000, averageBandwidth: 500000, frameRate: 29.97, audioGroup: 'aud' });
    expect(audioOnly).toMatchObject({ uri: 'audio_low/index.m3u8', bandwidth: 70000, codecs: ['mp4a.40.2'] });
    expect(audioOnly?.resolution).toBeUndefined();
    expect(audioOnly?.audioGroup).toBeUndefined();
  });

  it.each<[string, string, RegExp]>([
    ['missing #EXTM3U', '#EXT-X-VERSION:7\n', /#EXTM3U/],
    ['STREAM-INF without URI', '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n', /without a URI/],
    ['STREAM-INF without BANDWIDTH', '#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n', /BANDWIDTH/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseMasterPlaylist(text)).toThrow(PlaylistParseError);
    expect(() => parseMasterPlaylist(text)).toThrow(message);
  });
});

describe('parseMediaPlaylist', () => {
  it('reads an fMP4 VOD playlist', () => {
    expect(parseMediaPlaylist(MEDIA)).toEqual({
      version: 7,
      targetDurationSec: 4,
      mediaSequence: 0,
      playlistType: 'VOD',
      independentSegments: true,
      endList: true,
      initUri: 'init_720p.mp4',
      segments: [
        { uri: 'seg_00000.m4s', durationSec: 4, title: '' },
        { uri: 'seg_00001.m4s', durationSec: 2, title: '' },
      ],
      totalDurationSec: 6,
    });
  });

  it('keeps EXTINF titles and ignores comments and unknown tags', () => {
    const playlist = parseMediaPlaylist('#EXTM3U\n# a comment\n#EXT-X-FOO:1\n#EXTINF:3.5,Intro, part 1\na.ts\n');
    expect(playlist.segments).toEqual([{ uri: 'a.ts', durationSec: 3.5, title: 'Intro, part 1' }]);
    expect(playlist.endList).toBe(false);
  });

  it.each<[string, string]>([
    ['segment without EXTINF', '#EXTM3U\na.ts\n'],
    ['negative duration', '#EXTM3U\n#EXTINF:-1,\na.ts\n'],
    ['non-numeric duration', '#EXTM3U\n#EXTINF:abc,\na.ts\n'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseMediaPlaylist(text)).toThrow(PlaylistParseError);
  });
});

describe('parseAttributeList', () => {
  it.each<[string, Record<string, string>]>([
    ['', {}],
    ['BANDWIDTH=1', { BANDWIDTH: '1' }],
    ['CODECS="avc1.64001f,mp4a.40.2",BANDWIDTH=5', { CODECS: 'avc1.64001f,mp4a.40.2', BANDWIDTH: '5' }],
    ['RESOLUTION=1280x720, FRAME-RATE=29.970', { RESOLUTION: '1280x720', 'FRAME-RATE': '29.970' }],
    ['URI=""', { URI: '' }],
    ['NAME="a=b"', { NAME: 'a=b' }],
  ])('%j', (text, expected) => {
    expect(parseAttributeList(text)).toEqual(expected);
  });

  it('rejects malformed lists', () => {
    expect(() => parseAttributeList('BANDWIDTH')).toThrow(PlaylistParseError);
    expect(() => parseAttributeList('A=1,lower=2')).toThrow(PlaylistParseError);
  });
});

/** Pure readers for the HLS playlists we produce (RFC 8216 subset: what tests and delivery need). */

export interface HlsResolution {
  width: number;
  height: number;
}

/** One `#EXT-X-STREAM-INF` entry and the URI line after it. */
export interface HlsVariant {
  uri: string;
  bandwidth: number;
  averageBandwidth?: number;
  resolution?: HlsResolution;
  codecs: string[];
  frameRate?: number;
  audioGroup?: string;
  attributes: Record<string, string>;
}

/** One `#EXT-X-MEDIA` rendition. */
export interface HlsRendition {
  type: string;
  groupId: string;
  name: string;
  uri?: string;
  isDefault: boolean;
  autoselect: boolean;
  channels?: string;
  language?: string;
  attributes: Record<string, string>;
}

export interface HlsMasterPlaylist {
  version?: number;
  independentSegments: boolean;
  renditions: HlsRendition[];
  variants: HlsVariant[];
}

export interface HlsSegment {
  uri: string;
  durationSec: number;
  title: string;
}

export interface HlsMediaPlaylist {
  version?: number;
  targetDurationSec?: number;
  mediaSequence: number;
  playlistType?: string;
  independentSegments: boolean;
  endList: boolean;
  /** `#EXT-X-MAP:URI=…`, the fMP4 init segment. */
  initUri?: string;
  segments: HlsSegment[];
  totalDurationSec: number;
}

export class PlaylistParseError extends Error {
  override readonly name = 'PlaylistParseError';
}

export function parseMasterPlaylist(text: string): HlsMasterPlaylist {
  const lines = playlistLines(text);
  const playlist: HlsMasterPlaylist = { independentSegments: false, renditions: [], variants: [] };
  let pendingVariant: Record<string, string> | null = null;

  for (const line of lines) {
    if (line.startsWith('#')) {
      const [tag, value] = splitTag(line);
      switch (tag) {
        case '#EXT-X-VERSION':
          playlist.version = Number(value);
          break;
        case '#EXT-X-INDEPENDENT-SEGMENTS':
          playlist.independentSegments = true;
          break;
        case '#EXT-X-MEDIA':
          playlist.renditions.push(renditionFrom(parseAttributeList(value)));
          break;
        case '#EXT-X-STREAM-INF':
          pendingVariant = parseAttributeList(value);
          break;
      }
      continue;
    }
    if (pendingVariant) {
      playlist.variants.push(variantFrom(pendingVariant, line));
      pendingVariant = null;
    }
  }
  if (pendingVariant) throw new PlaylistParseError('EXT-X-STREAM-INF without a URI line');
  return playlist;
}

export function parseMediaPlaylist(text: string): HlsMediaPlaylist {
  const lines = playlistLines(text);
  const playlist: HlsMediaPlaylist = {
    mediaSequence: 0,
    independentSegments: false,
    endList: false,
    segments: [],
    totalDurationSec: 0,
  };
  let pending: { durationSec: number; title: string } | null = null;

  for (const line of lines) {
    if (line.startsWith('#')) {
      const [tag, value] = splitTag(line);
      switch (tag) {
        case '#EXT-X-VERSION':
          playlist.version = Number(value);
          break;
        case '#EXT-X-TARGETDURATION':
          playlist.targetDurationSec = Number(value);
          break;
        case '#EXT-X-MEDIA-SEQUENCE':
          playlist.mediaSequence = Number(value);
          break;
        case '#EXT-X-PLAYLIST-TYPE':
          playlist.playlistType = value;
          break;
        case '#EXT-X-INDEPENDENT-SEGMENTS':
          playlist.independentSegments = true;
          break;
        case '#EXT-X-ENDLIST':
          playlist.endList = true;
          break;
        case '#EXT-X-MAP': {
          const uri = parseAttributeList(value)['URI'];
          if (uri !== undefined) playlist.initUri = uri;
          break;
        }
        case '#EXTINF': {
          const comma = value.indexOf(',');
          const durationSec = Number(comma === -1 ? value : value.slice(0, comma));
          if (!Number.isFinite(durationSec) || durationSec < 0) {
            throw new PlaylistParseError(`bad EXTINF duration "${value}"`);
          }
          pending = { durationSec, title: comma === -1 ? '' : value.slice(comma + 1) };
          break;
        }
      }
      continue;
    }
    if (!pending) throw new PlaylistParseError(`segment URI "${line}" without EXTINF`);
    playlist.segments.push({ uri: line, ...pending });
    playlist.totalDurationSec += pending.durationSec;
    pending = null;
  }
  return playlist;
}

/** `BANDWIDTH=1,CODECS="a,b",RESOLUTION=2x3` → `{ BANDWIDTH: '1', CODECS: 'a,b', RESOLUTION: '2x3' }` (quotes removed). */
export function parseAttributeList(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /\s*([A-Z0-9-]+)=("[^"]*"|[^,]*)\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    const [, name, raw] = match;
    if (name === undefined || raw === undefined) break;
    attributes[name] = raw.startsWith('"') ? raw.slice(1, -1) : raw.trim();
  }
  if (pattern.lastIndex < text.length && text.slice(pattern.lastIndex).trim() !== '') {
    throw new PlaylistParseError(`malformed attribute list near "${text.slice(pattern.lastIndex)}"`);
  }
  return attributes;
}

function variantFrom(attributes: Record<string, string>, uri: string): HlsVariant {
  const bandwidth = Number(attributes['BANDWIDTH']);
  if (!Number.isInteger(bandwidth) || bandwidth <= 0) {
    throw new PlaylistParseError(`EXT-X-STREAM-INF for "${uri}" has no valid BANDWIDTH`);
  }
  const variant: HlsVariant = {
    uri,
    bandwidth,
    codecs: attributes['CODECS'] ? attributes['CODECS'].split(',').map((c) => c.trim()) : [],
    attributes,
  };
  const average = attributes['AVERAGE-BANDWIDTH'];
  if (average !== undefined) variant.averageBandwidth = Number(average);
  const resolution = /^(\d+)x(\d+)$/.exec(attributes['RESOLUTION'] ?? '');
  if (resolution) variant.resolution = { width: Number(resolution[1]), height: Number(resolution[2]) };
  const frameRate = attributes['FRAME-RATE'];
  if (frameRate !== undefined) variant.frameRate = Number(frameRate);
  const audio = attributes['AUDIO'];
  if (audio !== undefined) variant.audioGroup = audio;
  return variant;
}

function renditionFrom(attributes: Record<string, string>): HlsRendition {
  const rendition: HlsRendition = {
    type: attributes['TYPE'] ?? '',
    groupId: attributes['GROUP-ID'] ?? '',
    name: attributes['NAME'] ?? '',
    isDefault: attributes['DEFAULT'] === 'YES',
    autoselect: attributes['AUTOSELECT'] === 'YES',
    attributes,
  };
  if (attributes['URI'] !== undefined) rendition.uri = attributes['URI'];
  if (attributes['CHANNELS'] !== undefined) rendition.channels = attributes['CHANNELS'];
  if (attributes['LANGUAGE'] !== undefined) rendition.language = attributes['LANGUAGE'];
  return rendition;
}

/** Non-empty trimmed lines; `#` lines that are not tags (comments) are dropped. */
function playlistLines(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines[0] !== '#EXTM3U') throw new PlaylistParseError('not an HLS playlist: first line must be #EXTM3U');
  return lines.slice(1).filter((l) => !l.startsWith('#') || l.startsWith('#EXT'));
}

function splitTag(line: string): [tag: string, value: string] {
  const colon = line.indexOf(':');
  return colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1)];
}

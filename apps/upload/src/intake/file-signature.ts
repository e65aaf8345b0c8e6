/** Upload extensions we accept; anything else is refused before a byte is stored. */
export const VIDEO_EXTENSIONS = ['mp4', 'mov', 'mkv', 'webm', 'avi', 'flv', 'ts'] as const;
export const AUDIO_EXTENSIONS = ['mp3', 'm4a', 'aac', 'wav', 'flac', 'ogg'] as const;
export const ALLOWED_EXTENSIONS: readonly string[] = [...VIDEO_EXTENSIONS, ...AUDIO_EXTENSIONS];

export type ContainerFamily = 'isobmff' | 'ebml' | 'avi' | 'wave' | 'flv' | 'mpegts' | 'mp3' | 'adts' | 'flac' | 'ogg';

export function extensionOf(fileName: string): string | null {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(fileName.trim());
  return match ? match[1].toLowerCase() : null;
}

const ascii = (head: Buffer, offset: number, text: string) => head.subarray(offset, offset + text.length).toString('latin1') === text;

/**
 * Recognises a media container from its first bytes (at least 4 KiB when the file has them).
 * An HTML page, an SVG or an HLS playlist renamed .mp4 has none of these signatures.
 */
export function sniffContainer(head: Buffer): ContainerFamily | null {
  if (head.length < 12) return null;
  if (ascii(head, 4, 'ftyp')) return 'isobmff';
  if (head.readUInt32BE(0) === 0x1a45dfa3) return 'ebml';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'AVI ')) return 'avi';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return 'wave';
  if (ascii(head, 0, 'FLV') && head[3] === 1) return 'flv';
  if (ascii(head, 0, 'fLaC')) return 'flac';
  if (ascii(head, 0, 'OggS')) return 'ogg';
  if (ascii(head, 0, 'ID3')) return 'mp3';
  // MPEG-TS: a sync byte every 188 bytes.
  if (head[0] === 0x47 && head.length >= 188 * 3 && head[188] === 0x47 && head[376] === 0x47) return 'mpegts';
  // Bare MPEG audio frame sync: 11 set bits; layer bits tell MP3 (01) from ADTS AAC (00).
  if (head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return (head[1] & 0x06) === 0 ? 'adts' : 'mp3';
  // QuickTime files from older cameras can open with a 'moov', 'mdat', 'wide' or 'free' atom.
  if (['moov', 'mdat', 'wide', 'free', 'skip'].some((atom) => ascii(head, 4, atom))) return 'isobmff';
  return null;
}

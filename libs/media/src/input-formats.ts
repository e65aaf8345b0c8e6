/**
 * Demuxers an upload may be opened with. Anything else (hls, concat, image2, tty, …) can make
 * ffmpeg read other local files or URLs named inside the upload, so it is refused at probe time
 * and again at transcode time.
 */
export const ALLOWED_INPUT_FORMATS = [
  'mov',
  'mp4',
  'm4a',
  '3gp',
  '3g2',
  'mj2',
  'matroska',
  'webm',
  'avi',
  'flv',
  'mpegts',
  'mp3',
  'aac',
  'wav',
  'flac',
  'ogg',
] as const;

export const INPUT_FORMAT_WHITELIST = ALLOWED_INPUT_FORMATS.join(',');

/** Our own HLS output, read back only to remux the download file. */
export const OWN_HLS_FORMAT_WHITELIST = 'hls,mov,mp4,m4a,3gp,3g2,mj2';

/**
 * The demuxer to force with `-f` at transcode time: the first name of ffprobe's format_name
 * (`mov,mp4,m4a,3gp,3g2,mj2` → `mov`), so a file swapped after probing cannot switch demuxer.
 */
export function demuxerFor(formatName: string): string {
  const names = formatName.split(',');
  const allowed: readonly string[] = ALLOWED_INPUT_FORMATS;
  const first = names[0] ?? '';
  if (!names.some((name) => allowed.includes(name)) || first === '') {
    throw new Error(`Demuxer "${formatName}" is not on the input whitelist`);
  }
  return first;
}

/** Hardened input options shared by every command that reads an upload. */
export function uploadInputArguments(demuxer: string, input: string): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', INPUT_FORMAT_WHITELIST, '-f', demuxer, '-i', input];
}

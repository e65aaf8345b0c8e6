import type { PlaybackDownload } from '#contracts';
import type { PlaybackSession } from '../api/types.js';

export interface DownloadChoice extends PlaybackDownload {
  /** "360p" from the short side; empty when the size is not known (and for sound only). */
  resolution: string;
  /** The smallest video, when there is a larger one to compare it with or it is at most 360p. */
  recommended: boolean;
  /** What the choice is called: a video of at most 360p is "standard" whatever file it is (a small source's only file). */
  label: 'standard' | 'high' | 'audio';
}

const RECOMMENDED_MAX_SHORT_SIDE = 360;

/**
 * The offline files in the order they are offered: videos smallest first, then sound only. A session
 * from a server that lists no `downloads` still offers its one `downloadUrl`.
 */
export function downloadChoices(session: Pick<PlaybackSession, 'downloads' | 'downloadUrl' | 'lectureTitle'>): DownloadChoice[] {
  const downloads: PlaybackDownload[] =
    session.downloads ??
    (session.downloadUrl ? [{ quality: 'high', url: session.downloadUrl, bytes: null, fileName: `${session.lectureTitle}.mp4` }] : []);
  const shortSide = (d: PlaybackDownload) => (d.width && d.height ? Math.min(d.width, d.height) : null);
  // By size in bytes; by frame size where a size is not known.
  const smaller = (a: PlaybackDownload, b: PlaybackDownload) =>
    a.bytes !== null && b.bytes !== null ? a.bytes - b.bytes : (shortSide(a) ?? Infinity) - (shortSide(b) ?? Infinity);
  const videos = downloads.filter((d) => d.quality !== 'audio').sort(smaller);
  const sounds = downloads.filter((d) => d.quality === 'audio');
  return [...videos, ...sounds].map((d, i) => {
    const side = d.quality === 'audio' ? null : shortSide(d);
    return {
      ...d,
      resolution: side ? `${side}p` : '',
      label: d.quality === 'high' && side !== null && side <= RECOMMENDED_MAX_SHORT_SIDE ? 'standard' : d.quality,
      recommended: i === 0 && d.quality !== 'audio' && (videos.length > 1 || (side !== null && side <= RECOMMENDED_MAX_SHORT_SIDE)),
    };
  });
}

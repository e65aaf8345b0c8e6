import { describe, expect, it } from '@jest/globals';
import type { PlaybackDownload } from '#contracts';
import { downloadChoices } from './download-choices.js';

const standard: PlaybackDownload = { quality: 'standard', url: '/s', bytes: 120, fileName: 'a (360p).mp4', width: 640, height: 360 };
const high: PlaybackDownload = { quality: 'high', url: '/h', bytes: 330, fileName: 'a (720p).mp4', width: 1280, height: 720 };
const audio: PlaybackDownload = { quality: 'audio', url: '/a', bytes: 20, fileName: 'a.m4a' };
const session = (downloads: PlaybackDownload[] | undefined, downloadUrl: string | null = null) => ({
  downloads: downloads as PlaybackDownload[],
  downloadUrl,
  lectureTitle: '第一讲',
});
/** `url resolution recommended?` per choice. */
const summary = (choices: ReturnType<typeof downloadChoices>) => choices.map((c) => `${c.url} ${c.resolution}${c.recommended ? ' *' : ''}`);
/** What each choice is called. */
const labels = (choices: ReturnType<typeof downloadChoices>) => choices.map((c) => c.label);

describe('downloadChoices', () => {
  it.each<[string, ReturnType<typeof session>, string[]]>([
    ['three files: smallest video first and recommended, sound last', session([high, audio, standard]), ['/s 360p *', '/h 720p', '/a ']],
    ['sorted by size in bytes', session([{ ...standard, bytes: 900 }, high]), ['/h 720p *', '/s 360p']],
    ['portrait video: the short side', session([{ ...standard, width: 360, height: 640 }]), ['/s 360p *']],
    ['one 720p file is not recommended for mobile data', session([high, audio]), ['/h 720p', '/a ']],
    ['an audio lecture', session([audio]), ['/a ']],
    ['no size known', session([{ quality: 'high', url: '/h', bytes: null, fileName: 'a.mp4' }]), ['/h ']],
    ['nothing to download', session([]), []],
    ['a server that lists no downloads: its one file', session(undefined, '/old'), ['/old ']],
    ['neither', session(undefined, null), []],
  ])('%s', (_name, input, expected) => {
    expect(summary(downloadChoices(input))).toEqual(expected);
  });
});

describe('the name of each choice', () => {
  it.each<[string, PlaybackDownload[], string[]]>([
    ['the three files', [high, audio, standard], ['standard', 'high', 'audio']],
    ['the only file of a 360p source is standard, not high', [{ ...high, width: 640, height: 360 }], ['standard']],
    ['a 480p high file stays high', [standard, { ...high, width: 854, height: 480 }], ['standard', 'high']],
    ['a file of unknown size keeps its quality', [{ quality: 'high', url: '/h', bytes: null, fileName: 'a.mp4' }], ['high']],
  ])('%s', (_name, downloads, expected) => {
    expect(labels(downloadChoices(session(downloads)))).toEqual(expected);
  });
});

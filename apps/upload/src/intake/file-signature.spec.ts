import { describe, expect, it } from '@jest/globals';
import { extensionOf, sniffContainer } from './file-signature.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat([...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))), Buffer.alloc(600)]);

describe('sniffContainer', () => {
  it.each([
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom'), 'isobmff'],
    ['mov with a wide atom', bytes([0, 0, 0, 8], 'wide'), 'isobmff'],
    ['mkv/webm', bytes([0x1a, 0x45, 0xdf, 0xa3]), 'ebml'],
    ['avi', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'), 'avi'],
    ['wav', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'wave'],
    ['flv', bytes('FLV', [1, 5]), 'flv'],
    ['flac', bytes('fLaC'), 'flac'],
    ['ogg', bytes('OggS'), 'ogg'],
    ['mp3 with ID3', bytes('ID3', [4, 0]), 'mp3'],
    ['mp3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'mp3'],
    ['aac adts', bytes([0xff, 0xf1, 0x50, 0x80]), 'adts'],
    [
      'mpeg-ts',
      (() => {
        const b = Buffer.alloc(188 * 4);
        b[0] = b[188] = b[376] = b[564] = 0x47;
        return b;
      })(),
      'mpegts',
    ],
    ['HTML renamed .mp4', bytes('<!DOCTYPE html><html>'), null],
    ['SVG renamed .mp4', bytes('<svg xmlns="http://www.w3.org/2000/svg">'), null],
    ['HLS playlist renamed .mp4', bytes('#EXTM3U\n#EXT-X-VERSION:3\n'), null],
    ['plain text', bytes('hello world, this is text'), null],
    ['too short', Buffer.from('ftyp'), null],
  ])('%s → %s', (_label, head, expected) => {
    expect(sniffContainer(head)).toBe(expected);
  });
});

describe('extensionOf', () => {
  it.each([
    ['lecture.MP4', 'mp4'],
    ['第一讲.mov', 'mov'],
    ['no-extension', null],
    ['archive.tar.gz', 'gz'],
    ['trailing.mp4 ', 'mp4'],
  ])('%s → %s', (name, expected) => expect(extensionOf(name)).toBe(expected));
});

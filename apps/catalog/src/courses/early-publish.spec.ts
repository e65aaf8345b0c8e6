import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { earlyPublishRefusal, membersMayWatch, type LectureForPublishing, type LectureStage } from './early-publish.js';

const lecture = (title: string, stage: LectureStage): LectureForPublishing => ({ title, stage });

describe('membersMayWatch', () => {
  it.each([
    ['ready', false, true],
    ['ready', true, true],
    ['previewable', false, false],
    ['previewable', true, true],
    ['other', false, false],
    ['other', true, false],
  ] as const)('%s with the setting %p → %p', (stage, setting, expected) => expect(membersMayWatch(stage, setting)).toBe(expected));
});

describe('earlyPublishRefusal', () => {
  it('refuses a course whose only playable lecture is still encoding, naming it and saying what to do', () => {
    const message = earlyPublishRefusal([lecture('第一讲', 'previewable'), lecture('第二讲', 'other')], false);
    expect(message).toContain('“第一讲” is still being encoded');
    expect(message).toContain('Allow publishing while still encoding');
  });

  it('counts the lectures beyond three', () => {
    const list = ['a', 'b', 'c', 'd', 'e'].map((t) => lecture(t, 'previewable'));
    expect(earlyPublishRefusal(list, false)).toContain('“a”, “b”, “c” and 2 more are still being encoded');
  });

  it.each([
    ['the course allows publishing while encoding', [lecture('x', 'previewable')], true],
    ['a lecture is ready', [lecture('x', 'previewable'), lecture('y', 'ready')], false],
    ['nothing is previewable yet (as before)', [lecture('x', 'other')], false],
    ['the course has no lectures (as before)', [], false],
  ])('publishes when %s', (_why, list, setting) => expect(earlyPublishRefusal(list, setting)).toBeNull());

  it('never refuses when the setting is on, or when any lecture is ready', () => {
    const stages = fc.constantFrom<LectureStage>('ready', 'previewable', 'other');
    fc.assert(
      fc.property(fc.array(fc.record({ title: fc.string(), stage: stages })), fc.boolean(), (list, setting) => {
        const refused = earlyPublishRefusal(list, setting) !== null;
        const expected = !setting && !list.some((l) => l.stage === 'ready') && list.some((l) => l.stage === 'previewable');
        expect(refused).toBe(expected);
      }),
    );
  });
});

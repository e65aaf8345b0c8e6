import type { zh } from './progress.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  summary: '{{done}} of {{total}} lectures finished',
  continue: 'Continue: lecture {{n}} at {{time}}',
  continueFromStart: 'Continue: lecture {{n}}',
  continueTitle: 'Lecture {{n}}: {{title}}',
  finished: 'You have finished every lecture of this course. You can watch it again at any time.',
  watchAgain: 'Watch again from the start',
  lectureDone: 'Finished',
  lecturePercent: '{{percent}}% watched',
  lectureBar: 'Progress in lecture {{n}}',
  courseShare: '{{percent}}% watched',
  courseDone: 'Finished',
  courseBar: 'Progress in this course',
  nextHere: 'Continue with this lecture',
  reflections: {
    title: 'Reflections',
    count: '{{accepted}} of {{required}} accepted',
    met: 'You have enough accepted reflections.',
    missing: '{{missing}} more must be accepted (marked “read” or “excellent”). Send each to your branch for review.',
    write: 'Write a reflection for this plan',
    closed: '{{accepted}} of {{required}} accepted when the plan closed',
  },
};

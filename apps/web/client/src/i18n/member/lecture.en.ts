import type { zh } from './lecture.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  nextIn: 'Next lecture in {{seconds}} s',
  nextAnnouncement:
    'This lecture has ended. The next lecture, “{{title}}”, starts by itself in {{seconds}} seconds; press Esc or “Cancel” to stay here.',
  playNow: 'Play now',
  cancelNext: 'Cancel',
  nextCancelled: 'Cancelled. When you want the next lecture, press “Next lecture” below the video.',
  audioLecture: 'This lecture is sound only: turn your sound on to listen',
  errorUnsupported:
    'This browser cannot play the lecture videos. In WeChat, tap “···” at the top right and choose “Open in browser”; or update your browser.',
};

import type { zh } from './downloads.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  title: 'Download to watch offline',
  hintVideo:
    'A downloaded file plays without a connection, in your phone’s own video player. The files are large: download over Wi-Fi if you can.',
  hintAudio: 'A downloaded file plays without a connection, in your phone’s own player.',
  standard: 'Standard {{resolution}}',
  high: 'High {{resolution}}',
  audio: 'Sound only',
  withSize: '{{label}} · {{size}}',
  recommended: 'Recommended on mobile data',
  audioNote: 'Listen only: the smallest file',
};

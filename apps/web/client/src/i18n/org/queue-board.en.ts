import type { zh } from './queue-board.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  heading: 'Background job queues',
  text: 'Video transcoding and other background jobs: waiting, running, failed and retried. Only committee administrators can open it.',
  open: 'Open the queue board',
  opening: 'Opening…',
};

import type { zh } from './listening.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  title: 'Listening',
  prompt: {
    title: 'Are you still listening?',
    pending: 'Press the big button below by {{time}} so that your listening keeps counting as study time.',
    missed: 'Listening since {{time}} has not been counted. Confirm to start counting again.',
    answer: 'I’m still listening',
    answering: 'Confirming…',
    failed: 'That did not go through. Check your connection and press “I’m still listening” again.',
  },
  answered: 'Confirmed: your listening counts again.',
  lockScreen: 'Still listening? Open the page to confirm',
  report: {
    title: 'Listening check-ins',
    intro:
      'With the screen off or sound only, members are asked now and then “Are you still listening?”. Listening after a check-in that was not answered in time does not count.',
    empty: 'This member has no listening check-ins yet.',
    summary: 'Check-ins: {{total}}; not answered in time: {{missed}}; listening not counted: {{time}}.',
    col: {
      askedAt: 'Asked',
      lecture: 'Lecture',
      outcome: 'Outcome',
      answeredAt: 'Answered',
      uncredited: 'Not counted',
    },
    outcome: {
      answered: 'Answered in time',
      late: 'Answered late',
      missed: 'Not answered',
      pending: 'Waiting',
    },
    notAnswered: '—',
  },
};

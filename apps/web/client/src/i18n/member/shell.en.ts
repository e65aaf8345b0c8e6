import type { zh } from './shell.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  textSize: {
    label: 'Text size',
    standard: 'Normal',
    large: 'Large',
    extraLarge: 'Largest',
  },
  rolePage: {
    title: 'This page is not open to your account',
    editors: 'This page is for editors. To publish lectures, ask your branch secretary or an administrator.',
    admins: 'This page is for administrators. To change units, members or study plans, ask your branch secretary or an administrator.',
    readers:
      'This page is for administrators and inspectors reading study reports. To learn how your branch is doing, ask your branch secretary or an administrator.',
    learners:
      'This page is for members studying courses. Your account is for administration and cannot study here; to study, sign in with a member account.',
    graders: 'This page is for editors and administrators grading exams. To see your results, open the Exams page.',
    yourUnit: 'Your unit: {{unit}}',
    goHome: 'Go to {{page}}',
  },
  notFound: {
    hint: 'Please check that the address is complete. If someone sent you the link, ask them to send it again.',
  },
};

import type { zh } from './versions.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  heading: 'Earlier versions',
  intro:
    'Every version saved before is kept here. View one, or restore it as the current version; the current version is then kept here too.',
  loading: 'Loading earlier versions…',
  none: 'No earlier versions yet.',
  savedBy: 'Saved {{time}} by {{name}}',
  view: 'View',
  hide: 'Hide',
  forVersion: ': the version of {{time}}',
  viewing: 'The version of {{time}} (read-only)',
  restore: 'Restore this version',
  restoring: 'Restoring…',
  restoreConfirm:
    'Restore the version saved {{time}} by {{name}} as the current one? The current version is kept among the earlier versions; changes not yet saved in the editor are replaced.',
  restored: 'The version of {{time}} is restored; the editor now shows it. The version it replaced is kept.',
  conflict: 'Someone else saved a newer version after you opened this page. Reload it, look at the current content, then restore again.',
  captionSize_one: '{{count}} caption, {{size}} KB',
  captionSize_other: '{{count}} captions, {{size}} KB',
  languageOff: 'Captions in this language were stopped then',
  chapterCount_one: '{{count}} chapter',
  chapterCount_other: '{{count}} chapters',
  noChapters: 'No chapters',
};

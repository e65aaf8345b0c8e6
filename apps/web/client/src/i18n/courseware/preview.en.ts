import type { zh } from './preview.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  title: 'Preview',
  heading: 'Preview: {{title}}',
  back: 'Back to the course',
  previewableNow: 'Previewable now',
  encodedPercent: '{{percent}} % encoded',
  minutesLeft: 'about {{minutes}} min left',
  underAMinute: 'less than a minute left',
  progressLabel: 'Encoding progress',
  previewButton: 'Preview',
  previewLabel: 'Preview “{{title}}” (the part encoded so far)',
  membersWait: 'Members will see this lecture once it is fully encoded.',
  membersSeeSoFar: 'Published: members can already watch the part encoded so far; it grows as encoding goes on.',
  membersWillSeeSoFar: 'Once the course is published, members can watch the part encoded so far; it grows as encoding goes on.',
  earlyPublish: 'Allow publishing while still encoding',
  earlyPublishHint:
    'Members can watch a lecture as soon as it is previewable: the part encoded so far. Unticked, they wait until it is fully encoded.',
  earlyPublishOn: 'Allowed (members watch the part encoded so far)',
  earlyPublishOff: 'Not allowed (wait until fully encoded)',
  opening: 'Opening the preview…',
  encodedUpTo: 'Encoded up to {{time}}',
  stillEncoding: 'Still encoding: the video grows as encoding goes on, so you can keep watching.',
  waitingForMore: 'You have reached the end of what is encoded; waiting for the next part…',
  complete: 'Encoding is finished: the whole lecture plays.',
  notYet: 'This lecture cannot be previewed yet: it can be as soon as its first part is encoded. Please wait a moment.',
  failed: 'Processing this lecture’s video failed, so it cannot be previewed. Upload it again on the course page.',
  playerLabel: 'Preview player: {{title}}',
  errorNetwork: 'The connection dropped and the preview stopped loading. Check the network and try again.',
  errorMedia: 'This browser cannot play this video.',
  retry: 'Try again',
};

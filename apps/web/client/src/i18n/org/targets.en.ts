import type { zh } from './targets.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  positions: 'Positions',
  positionsHint:
    'With positions chosen, the plan is only for members who hold one of them now (in any unit). None chosen: whatever their position.',
  positionsUnavailable: 'The list of positions could not be loaded. You can make the plan without positions, or reload the page later.',
  noPositions: 'There are no positions to choose from yet.',
  classes: 'Training classes',
  classesHint:
    'With classes chosen, the plan is only for members enrolled in one of them now; members who withdraw leave it. None chosen: whatever their class.',
  classesUnavailable: 'The list of training classes could not be loaded. You can make the plan without classes, or reload the page later.',
  noClasses: 'Your unit has no training classes yet.',
  classDates: '{{from}} to {{to}}',
  archived: 'archived',
  chosen_one: '{{count}} chosen',
  chosen_other: '{{count}} chosen',
  targets: 'Who it is for',
  everyone: 'Every member of the chosen units',
  categoriesFact: 'Categories: {{names}}',
  positionsFact: 'Holding: {{names}}',
  classesFact: 'Classes: {{names}}',
  unitStudy: 'Study by unit and period',
  viewPlans: 'All study plans',
  readOnly: 'You are an inspector: you can read and export the reports of your unit and the units below it, and change nothing.',
};

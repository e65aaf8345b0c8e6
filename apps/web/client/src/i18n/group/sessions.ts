// The group-study namespace: collective viewing on a room's screen, in-person sessions, check-in and rosters.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '集体学习',
};

export const en: typeof zh = {
  title: 'Group study',
};

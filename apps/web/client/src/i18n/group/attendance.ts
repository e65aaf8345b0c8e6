// The group-study reports namespace: sessions held, attendance rates, absentees and make-up, by unit and member.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '集体学习考勤',
};

export const en: typeof zh = {
  title: 'Group study attendance',
};

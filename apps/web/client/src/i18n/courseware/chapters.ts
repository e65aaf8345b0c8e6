// The chapters namespace. Chapters: marking them in the studio, the player's markers and list.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '章节',
};

export const en: typeof zh = {
  title: 'Chapters',
};

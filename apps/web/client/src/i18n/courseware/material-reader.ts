// The materialReader namespace: members' lists of materials, reading a PDF in the page, and reading time.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '阅读资料',
};

export const en: typeof zh = {
  title: 'Reading materials',
};

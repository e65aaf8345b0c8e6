// The examEditor namespace; `en` has exactly the shape of `zh`.
export const zh = {
  title: '考试',
};

export const en: typeof zh = {
  title: 'Exams',
};

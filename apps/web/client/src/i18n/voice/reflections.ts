// The reflections namespace; `en` has exactly the shape of `zh`.
export const zh = {
  title: '',
};

export const en: typeof zh = {
  title: '',
};

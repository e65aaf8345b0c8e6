// The materials namespace. Course materials: attaching them in the studio, reading and downloading them.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '学习资料',
};

export const en: typeof zh = {
  title: 'Materials',
};

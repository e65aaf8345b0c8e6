// The preview namespace. Previewing a lecture while it is still being encoded.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '预览',
};

export const en: typeof zh = {
  title: 'Preview',
};

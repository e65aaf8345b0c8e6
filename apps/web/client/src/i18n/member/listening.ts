// The listening namespace: audio with the screen off, the lock-screen controls and the still-listening check-in.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '收听',
};

export const en: typeof zh = {
  title: 'Listening',
};

// The captions namespace. Captions: editing them in the studio, the player's caption menu and the transcript.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '字幕',
};

export const en: typeof zh = {
  title: 'Captions',
};

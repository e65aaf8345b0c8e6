// Captions and transcripts of lectures, per language.

export {};

// Chapters of a lecture.

export {};

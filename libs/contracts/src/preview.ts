// A set previewable while it is still being encoded.

export {};

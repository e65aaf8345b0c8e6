// Which lecture an unfinished upload belongs to, kept across reloads. tus-js-client keeps the upload
// URL by file fingerprint; this adds the lecture, the file's identity and the last known progress.
const storageKey = 'lectern.uploads.v1';
const maxAgeMs = 7 * 24 * 3600_000;

export interface SavedUpload {
  /** The editor who started it: a shared computer must not offer one editor's uploads to another. */
  ownerId: string;
  lectureId: string;
  courseId: string;
  fileName: string;
  fileSize: number;
  fileType: string;
  fileLastModified: number;
  /** Known once the server created the upload. */
  uploadUrl: string | null;
  bytesUploaded: number;
  /** "uploaded": every byte arrived; only linking the asset to the lecture is left. */
  stage: 'uploading' | 'uploaded';
  savedAt: number;
}

type SavedUploads = Record<string, SavedUpload>;

function readAll(): SavedUploads {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    const fresh: SavedUploads = {};
    for (const [lectureId, entry] of Object.entries(parsed as SavedUploads)) {
      if (entry && typeof entry.fileName === 'string' && Date.now() - entry.savedAt < maxAgeMs) fresh[lectureId] = entry;
    }
    return fresh;
  } catch {
    return {};
  }
}

function writeAll(all: SavedUploads): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(all));
  } catch {
    // Without storage an interrupted upload simply cannot be offered for resuming.
  }
}

export function savedUploads(ownerId: string): SavedUpload[] {
  return Object.values(readAll()).filter((entry) => entry.ownerId === ownerId);
}

export function savedUpload(ownerId: string, lectureId: string): SavedUpload | null {
  const entry = readAll()[lectureId];
  return entry?.ownerId === ownerId ? entry : null;
}

export function saveUpload(entry: Omit<SavedUpload, 'savedAt'>): void {
  const all = readAll();
  all[entry.lectureId] = { ...entry, savedAt: Date.now() };
  writeAll(all);
}

export function forgetUpload(lectureId: string): void {
  const all = readAll();
  delete all[lectureId];
  writeAll(all);
}

/** The same file as far as a browser can tell without reading it: name, size, type and date. */
export function isSameFile(saved: SavedUpload, file: File): boolean {
  return saved.fileName === file.name && saved.fileSize === file.size && saved.fileLastModified === file.lastModified;
}

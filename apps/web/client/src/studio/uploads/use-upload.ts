import { useEffect, useState } from 'preact/hooks';
import { activeUploadCount, subscribeUploads, uploadState, type UploadState } from './upload-manager.js';

/** The upload (and processing) state of one lecture, re-rendering on every change. */
export function useUpload(lectureId: string): UploadState | null {
  const [state, setState] = useState(() => uploadState(lectureId));
  useEffect(() => {
    setState(uploadState(lectureId));
    return subscribeUploads(() => setState(uploadState(lectureId)));
  }, [lectureId]);
  return state;
}

export function useActiveUploadCount(): number {
  const [count, setCount] = useState(activeUploadCount);
  useEffect(() => subscribeUploads(() => setCount(activeUploadCount())), []);
  return count;
}

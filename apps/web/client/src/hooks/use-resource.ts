import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';

export interface Resource<T> {
  data: T | null;
  error: ErrorKey | null;
  loading: boolean;
  reload(): void;
  /** Replaces the data, e.g. with what a save returned. */
  set(data: T): void;
}

/** Loads once per change of `deps`; answers that arrive after a newer request are dropped. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ErrorKey | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(null);
    load()
      .then((value) => !stale && setData(value))
      .catch((failure: unknown) => !stale && setError(errorKey(failure)))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload, set: setData };
}

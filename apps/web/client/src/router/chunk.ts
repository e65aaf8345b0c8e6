/**
 * One part of the app fetched on first use (a route's page, split off the first load): loaded once and kept,
 * shared by every caller, and asked for again after a failure (the connection came back, or a reload).
 */
export interface Chunk<T> {
  /** The loaded value, or undefined until it has arrived. */
  readonly loaded: T | undefined;
  /** Starts the fetch, or joins the one under way; settles at once when the value is already here. */
  load(): Promise<T>;
}

export function chunk<T>(importer: () => Promise<T>): Chunk<T> {
  let value: { current: T } | null = null;
  let pending: Promise<T> | null = null;
  return {
    get loaded() {
      return value?.current;
    },
    load() {
      if (value) return Promise.resolve(value.current);
      pending ??= importer().then(
        (current) => {
          value = { current };
          pending = null;
          return current;
        },
        (failure: unknown) => {
          pending = null;
          throw failure;
        },
      );
      return pending;
    },
  };
}

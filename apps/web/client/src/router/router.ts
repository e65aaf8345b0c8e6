import { useEffect, useState } from 'preact/hooks';

const changeEvent = 'lectern:navigate';
let navigated = false;

/** A page change the user asked for (link, sign-in, sign-out): the new page takes focus. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  navigated = true;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(changeEvent));
  window.scrollTo(0, 0);
}

/** Silently corrects the address (e.g. "/" to a start page) without counting as the user's navigation. */
export function redirect(path: string, state: unknown = null): void {
  history.replaceState(state, '', path);
  window.dispatchEvent(new Event(changeEvent));
}

/** True once the user has moved between pages inside the app (not on the first load). */
export function hasNavigated(): boolean {
  return navigated;
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    const onPop = () => {
      navigated = true;
      update();
    };
    window.addEventListener(changeEvent, update);
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener(changeEvent, update);
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  return path;
}

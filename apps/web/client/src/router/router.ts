import { useEffect, useState } from 'preact/hooks';

const changeEvent = 'lectern:navigate';
let navigated = false;

export function navigate(path: string, options: { replace?: boolean; state?: unknown } = {}): void {
  navigated = true;
  if (options.replace) history.replaceState(options.state ?? null, '', path);
  else history.pushState(options.state ?? null, '', path);
  window.dispatchEvent(new Event(changeEvent));
  window.scrollTo(0, 0);
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

import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * The rendered width of an element, kept current. Charts draw in real pixels at this width instead
 * of scaling a fixed drawing, so their text stays as large as the rest of the page on a phone.
 */
export function useWidth<T extends HTMLElement>(fallback = 640) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const next = Math.floor(el.getBoundingClientRect().width);
      if (next > 0) setWidth((previous) => (Math.abs(previous - next) >= 1 ? next : previous));
    };
    update();
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', update);
      return () => window.removeEventListener('resize', update);
    }
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

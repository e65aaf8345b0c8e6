import { useEffect, useState } from 'preact/hooks';
import { readToken } from '../api/token.js';

/**
 * A picture the API serves only to signed-in people (`/api/exam-images/<id>`): a plain `<img src>` cannot
 * send the bearer token, so the bytes are fetched with it and shown from an object URL.
 */
export function AuthImage({ src, alt, class: className }: { src: string; alt: string; class?: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let stale = false;
    const token = readToken();
    fetch(src, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
      .then((response) => (response.ok ? response.blob() : null))
      .then((blob) => {
        if (stale || !blob) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch(() => {
        // No picture on a failed load; the rest of the question still shows.
      });
    return () => {
      stale = true;
      setUrl(null);
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [src]);
  return url ? <img class={className} src={url} alt={alt} /> : null;
}

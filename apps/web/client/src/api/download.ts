import { ApiError, NetworkError, reportUnauthorized } from './api.js';
import { readToken } from './token.js';

// Large units make big workbooks, and many admins are on slow lines.
const timeoutMs = 120_000;

/** The file name the server suggests (RFC 6266 filename* first, it carries the UTF-8 name), else `fallback`. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : fallback;
}

/**
 * Downloads a file from the API. A plain link cannot send the bearer token, so the file is fetched
 * with it, kept as a Blob, and handed to the browser through a temporary object-URL link.
 * Returns the file name used.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const token = readToken();
  let response: Response;
  try {
    response = await fetch(path, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new NetworkError(cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    if (response.status === 401 && token) reportUnauthorized();
    throw new ApiError(response.status, response.statusText);
  }
  const blob = await response.blob();
  const name = fileNameFrom(response.headers.get('Content-Disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns; give them a moment before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

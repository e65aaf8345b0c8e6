import { clearToken, readToken } from './token.js';

/** The server answered with a non-2xx status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly errors: string[] = [],
    /** From a 429's Retry-After header: how long to wait before trying again. */
    readonly retryAfterSeconds: number | null = null,
    /** The server's machine-readable reason, when it gives one (e.g. `password_change_required`). */
    readonly code: string | null = null,
    /** The whole error answer, for pages that read more of it than the sentence (e.g. a list of reasons). */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

/** No answer at all: offline, DNS, timeout or an aborted connection. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

// Generous because many members are on slow rural connections.
const timeoutMs = 30_000;

let onUnauthorized: () => void = () => {};

/** Called when a signed-in request gets 401, i.e. the token expired or was revoked. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

let onPasswordChangeRequired: () => void = () => {};

/** Called when the server holds the signed-in person to choosing a new password (an admin reset it meanwhile). */
export function setPasswordChangeHandler(handler: () => void): void {
  onPasswordChangeRequired = handler;
}

/** For requests made outside request() (tus uploads): the token was refused, so sign the user out. */
export function reportUnauthorized(): void {
  clearToken();
  onUnauthorized();
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  /** Longer for bodies that take a while on a slow line, e.g. a cover image. */
  timeoutMs?: number;
  /** Headers a family of calls needs besides the usual ones (e.g. the exam-taking device key). */
  headers?: Record<string, string>;
}

interface ErrorBody {
  message?: unknown;
  errors?: unknown;
  code?: unknown;
}

function describe(status: number, body: ErrorBody | null, fallback: string, retryAfter: string | null = null): ApiError {
  const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
  const errors = Array.isArray(body?.errors) ? body.errors.map(String) : [];
  const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  const code = typeof body?.code === 'string' ? body.code : null;
  return new ApiError(status, typeof message === 'string' ? message : fallback, errors, seconds, code, body);
}

/** JSON in and out; a Blob body (e.g. an image) is sent as is with its own type. */
export async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const token = readToken();
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const raw = body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? timeoutMs),
    });
  } catch (cause) {
    throw new NetworkError(cause instanceof Error ? cause.message : String(cause));
  }

  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A proxy error page is HTML, not JSON; the status alone still tells us enough.
  }

  if (!response.ok) {
    if (response.status === 401 && token) reportUnauthorized();
    const error = describe(response.status, parsed as ErrorBody | null, response.statusText, response.headers.get('Retry-After'));
    if (response.status === 403 && error.code === 'password_change_required') onPasswordChangeRequired();
    throw error;
  }
  return parsed as T;
}

import type {
  AttemptPaper,
  AttemptResult,
  AttemptStatus,
  ExamBlock,
  MemberAnswer,
  MyExamView,
  PaperQuestion,
  PlanExamStatus,
  QuestionAnswerKey,
  ResultQuestion,
  SaveAnswerInput,
  SaveAnswerResult,
  SavedAnswer,
} from '#contracts';
import { ApiError, NetworkError, reportUnauthorized } from './api.js';
import { readToken } from './token.js';

export type {
  AttemptPaper,
  AttemptResult,
  AttemptStatus,
  ExamBlock,
  MemberAnswer,
  MyExamView,
  PaperQuestion,
  PlanExamStatus,
  QuestionAnswerKey,
  ResultQuestion,
  SaveAnswerInput,
  SaveAnswerResult,
  SavedAnswer,
};

/** The header every taking call carries: which browser the attempt belongs to. */
export const DEVICE_HEADER = 'X-Exam-Device';
export const deviceStorageKey = 'lectern.examDevice';

let memoryDeviceKey: string | null = null;

// getRandomValues, unlike randomUUID, works on plain http too.
function randomKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This browser's key, made once and kept; in memory only when storage is blocked (then a reload is another device). */
export function deviceKey(): string {
  try {
    const saved = localStorage.getItem(deviceStorageKey);
    if (saved) return saved;
    const made = randomKey();
    localStorage.setItem(deviceStorageKey, made);
    return made;
  } catch {
    memoryDeviceKey ??= randomKey();
    return memoryDeviceKey;
  }
}

// Generous because many members are on slow rural connections; a save that hangs is retried anyway.
const timeoutMs = 30_000;

/** As `request` in api.ts, with the device header, which every taking call needs. */
async function takeRequest<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const token = readToken();
  const headers: Record<string, string> = { Accept: 'application/json', [DEVICE_HEADER]: deviceKey() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new NetworkError(cause instanceof Error ? cause.message : String(cause));
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: the status alone says enough.
  }
  if (!response.ok) {
    if (response.status === 401 && token) reportUnauthorized();
    const error = (parsed ?? {}) as { message?: unknown; errors?: unknown; code?: unknown };
    const message = Array.isArray(error.message) ? error.message.join('; ') : error.message;
    throw new ApiError(
      response.status,
      typeof message === 'string' ? message : response.statusText,
      Array.isArray(error.errors) ? error.errors.map(String) : [],
      null,
      typeof error.code === 'string' ? error.code : null,
      parsed,
    );
  }
  return parsed as T;
}

const id = encodeURIComponent;

export function listMyExams(): Promise<MyExamView[]> {
  return takeRequest('GET', '/api/me/exams');
}

export function getMyExam(examId: string): Promise<MyExamView> {
  return takeRequest('GET', `/api/me/exams/${id(examId)}`);
}

/** Starts an attempt, or resumes the open one (on this device). */
export function startAttempt(examId: string): Promise<AttemptPaper> {
  return takeRequest('POST', `/api/me/exams/${id(examId)}/attempts`);
}

export function getAttempt(attemptId: string): Promise<AttemptPaper | AttemptResult> {
  return takeRequest('GET', `/api/me/attempts/${id(attemptId)}`);
}

export function saveAnswer(attemptId: string, item: number, input: SaveAnswerInput): Promise<SaveAnswerResult> {
  return takeRequest('PUT', `/api/me/attempts/${id(attemptId)}/answers/${item}`, input);
}

export function submitAttempt(attemptId: string): Promise<AttemptResult> {
  return takeRequest('POST', `/api/me/attempts/${id(attemptId)}/submit`);
}

export function getResult(attemptId: string): Promise<AttemptResult> {
  return takeRequest('GET', `/api/me/attempts/${id(attemptId)}/result`);
}

/** The attempt answer is a result once the attempt is submitted (or timed out, or voided). */
export function isResult(value: AttemptPaper | AttemptResult): value is AttemptResult {
  return 'status' in value && !('deadlineAt' in value);
}

/** The server's machine-readable reason of a refusal, e.g. `stale` or `other_device`. */
export function refusalCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}

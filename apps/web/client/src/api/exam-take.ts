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
} from '#contracts';
import type { AttemptPaper, AttemptResult, MyExamView, SaveAnswerInput, SaveAnswerResult } from '#contracts';
import { ApiError, request } from './api.js';

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

/** `request` with the device header, which every taking call needs. */
function takeRequest<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body, { headers: { [DEVICE_HEADER]: deviceKey() } });
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

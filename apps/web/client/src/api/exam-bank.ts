import type {
  ExamInput,
  ExamStatus,
  ExamView,
  QuestionImportPreview,
  QuestionImportResult,
  QuestionInput,
  QuestionKind,
  QuestionView,
  SamplePaper,
  CursorPage,
} from '#contracts';
import { request } from './api.js';
import { downloadFile } from './download.js';

export type {
  ExamInput,
  ExamStatus,
  ExamView,
  QuestionImportPreview,
  QuestionImportResult,
  QuestionInput,
  QuestionKind,
  QuestionView,
  SamplePaper,
};

const id = encodeURIComponent;

function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// ---- question bank ---------------------------------------------------------------------------

export interface QuestionQuery {
  q?: string;
  kind?: QuestionKind | '';
  topic?: string;
  includeRetired?: boolean;
  limit?: number;
  cursor?: string | null;
}

export const listQuestions = (params: QuestionQuery) =>
  request<CursorPage<QuestionView>>('GET', `/api/exam-questions${query({ ...params })}`);

export const listTopics = () => request<string[]>('GET', '/api/exam-questions/topics');

export const getQuestion = (questionId: string) => request<QuestionView>('GET', `/api/exam-questions/${id(questionId)}`);

export const createQuestion = (input: QuestionInput) => request<QuestionView>('POST', '/api/exam-questions', input);

export const updateQuestion = (questionId: string, input: QuestionInput) =>
  request<QuestionView>('PUT', `/api/exam-questions/${id(questionId)}`, input);

export const retireQuestion = (questionId: string, retire: boolean) =>
  request<QuestionView>('POST', `/api/exam-questions/${id(questionId)}/${retire ? 'retire' : 'restore'}`);

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/** The image's bytes as they are; the server answers the id to put on the question. */
export const uploadExamImage = (image: Blob) => request<{ id: string }>('POST', '/api/exam-images', image, { timeoutMs: 120_000 });

export const examImageUrl = (imageId: string) => `/api/exam-images/${id(imageId)}`;

// ---- import ------------------------------------------------------------------------------------

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const QUESTION_IMPORT_ACCEPT = `.xlsx,.csv,text/csv,${XLSX_TYPE}`;
export const QUESTION_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** What the file is, by its name (Windows calls a .csv "application/vnd.ms-excel"). */
export const bankFileKind = (name: string): 'csv' | 'xlsx' | 'other' =>
  /\.xlsx$/i.test(name) ? 'xlsx' : /\.(csv|txt)$/i.test(name) ? 'csv' : 'other';

/** Sends the file for a preview; nothing is added to the bank until the preview is confirmed. */
export function previewQuestionImport(file: File): Promise<QuestionImportPreview> {
  const type = bankFileKind(file.name) === 'xlsx' ? XLSX_TYPE : 'text/csv';
  return request<QuestionImportPreview>(
    'POST',
    `/api/exam-question-imports${query({ fileName: file.name.slice(0, 255) })}`,
    new Blob([file], { type }),
    { timeoutMs: 120_000 },
  );
}

export const confirmQuestionImport = (batchId: string) =>
  request<QuestionImportResult>('POST', `/api/exam-question-imports/${id(batchId)}/confirm`, undefined, { timeoutMs: 120_000 });

export const downloadQuestionTemplate = (format: 'xlsx' | 'csv', fallbackName: string) =>
  downloadFile(`/api/exam-question-imports/template.${format}`, fallbackName);

// ---- exams -------------------------------------------------------------------------------------

export const listExams = (params: { status?: ExamStatus | ''; limit?: number; cursor?: string | null }) =>
  request<CursorPage<ExamView>>('GET', `/api/exams${query({ ...params })}`);

export const getExam = (examId: string) => request<ExamView>('GET', `/api/exams/${id(examId)}`);

export const createExam = (input: ExamInput) => request<ExamView>('POST', '/api/exams', input);

export const updateExam = (examId: string, input: ExamInput) => request<ExamView>('PUT', `/api/exams/${id(examId)}`, input);

export const changeExamStatus = (examId: string, action: 'publish' | 'archive') =>
  request<ExamView>('POST', `/api/exams/${id(examId)}/${action}`);

export const sampleExamPaper = (examId: string) => request<SamplePaper>('GET', `/api/exams/${id(examId)}/sample`);

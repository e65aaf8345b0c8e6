import type {
  MyReflectionsView,
  ReflectionView,
  ReflectionsReportRow,
  ReviewInput,
  ReviewQueueView,
  SaveReflectionInput,
  WallItem,
} from '#contracts';
import { request } from './api.js';
import { withLang } from './reports.js';

const one = (id: string) => `/api/reflections/${encodeURIComponent(id)}`;

export const myReflections = () => request<MyReflectionsView>('GET', '/api/reflections');
export const getReflection = (id: string) => request<ReflectionView>('GET', one(id));
export const createReflection = (input: SaveReflectionInput & { submit?: boolean }) =>
  request<ReflectionView>('POST', '/api/reflections', input);
export const saveReflection = (id: string, input: { title: string; body: string }) => request<ReflectionView>('PUT', one(id), input);
export const submitReflection = (id: string, input: { title: string; body: string }) =>
  request<ReflectionView>('POST', `${one(id)}/submit`, input);
export const withdrawReflection = (id: string) => request<ReflectionView>('POST', `${one(id)}/withdraw`, {});
export const consentReflection = (id: string, consent: boolean) => request<ReflectionView>('POST', `${one(id)}/consent`, { consent });
export const publishReflection = (id: string) => request<ReflectionView>('POST', `${one(id)}/publish`, {});
export const unpublishReflection = (id: string) => request<ReflectionView>('POST', `${one(id)}/unpublish`, {});
export const reflectionWall = () => request<WallItem[]>('GET', '/api/reflections/wall');

export const reviewQueue = () => request<ReviewQueueView>('GET', '/api/review/reflections');
export const reviewReflection = (id: string, input: ReviewInput) =>
  request<ReflectionView>('POST', `/api/review/reflections/${encodeURIComponent(id)}`, input);

export const REFLECTIONS_REPORT_PATH = '/api/reports/reflections';

export interface ReflectionsReport {
  unit: { id: string; name: string; path: string };
  columns: Array<{ key: string; label: string }>;
  items: ReflectionsReportRow[];
  /** Each row's cells as text, exactly as the CSV and XLSX files carry them. */
  cells: Array<Record<string, string>>;
}

export const reflectionsReport = (lang: string) => request<ReflectionsReport>('GET', withLang(REFLECTIONS_REPORT_PATH, lang));

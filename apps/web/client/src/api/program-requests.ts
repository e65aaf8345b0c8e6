import type {
  AnswerTimesReport,
  CourseChoice,
  DemandDetail,
  DemandFilterChoices,
  DemandItem,
  MyProgramRequests,
  OpenByWeekReport,
  ProgramRequestAnswer,
  ProgramRequestStatus,
  ProgramRequestView,
  SimilarRequest,
} from '#contracts';
import { request } from './api.js';

export type {
  AnswerTimesReport,
  CourseChoice,
  DemandDetail,
  DemandFilterChoices,
  DemandItem,
  MyProgramRequests,
  OpenByWeekReport,
  ProgramRequestAnswer,
  ProgramRequestStatus,
  ProgramRequestView,
  SimilarRequest,
};

const base = '/api/program-requests';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const similarRequests = (q: string): Promise<SimilarRequest[]> => request('GET', `${base}/similar?${new URLSearchParams({ q })}`);
export const myRequests = (): Promise<MyProgramRequests> => request('GET', `${base}/mine`);
export const askForProgram = (input: { title: string; detail: string; categoryId: string | null }): Promise<ProgramRequestView> =>
  request('POST', base, input);
export const getRequest = (id: string): Promise<ProgramRequestView> => request('GET', one(id));
export const voteFor = (id: string): Promise<ProgramRequestView> => request('POST', `${one(id)}/vote`);
export const unvote = (id: string): Promise<ProgramRequestView> => request('POST', `${one(id)}/unvote`);
export const withdrawRequest = (id: string): Promise<ProgramRequestView> => request('POST', `${one(id)}/withdraw`);

export interface DemandFilter {
  unitId: string;
  category: string;
  status: '' | ProgramRequestStatus;
}

const demandQuery = (filter: DemandFilter) => {
  const params = new URLSearchParams();
  if (filter.unitId) params.set('unitId', filter.unitId);
  if (filter.category) params.set('category', filter.category);
  if (filter.status) params.set('status', filter.status);
  return params.toString();
};

export const demandFilters = (): Promise<DemandFilterChoices> => request('GET', `${base}/filters`);
export const listDemand = (filter: DemandFilter): Promise<DemandItem[]> => request('GET', `${base}/demand?${demandQuery(filter)}`);
export const getDemand = (id: string): Promise<DemandDetail> => request('GET', `${base}/demand/${encodeURIComponent(id)}`);
export const courseChoices = (id: string, q: string): Promise<CourseChoice[]> =>
  request('GET', `${base}/demand/${encodeURIComponent(id)}/courses?${new URLSearchParams({ q })}`);
export const answerRequest = (id: string, answer: ProgramRequestAnswer): Promise<DemandDetail> =>
  request('POST', `${one(id)}/answer`, answer);
export const mergeRequest = (id: string, intoId: string): Promise<DemandDetail> => request('POST', `${one(id)}/merge`, { intoId });

export interface ReportFilter {
  unitId: string;
  category: string;
  weeks: number;
}

/** The report's own address with its filters: the screen reads it as JSON, the export buttons as files. */
export function requestReportPath(report: 'open-by-week' | 'answer-times', filter: ReportFilter): string {
  const params = new URLSearchParams({ weeks: String(filter.weeks) });
  if (filter.unitId) params.set('unitId', filter.unitId);
  if (filter.category) params.set('category', filter.category);
  return `/api/reports/program-requests/${report}?${params}`;
}

const withLanguage = (path: string, lang: string) => `${path}&lang=${encodeURIComponent(lang)}`;
export const openByWeek = (filter: ReportFilter, lang: string): Promise<OpenByWeekReport> =>
  request('GET', withLanguage(requestReportPath('open-by-week', filter), lang));
export const answerTimes = (filter: ReportFilter, lang: string): Promise<AnswerTimesReport> =>
  request('GET', withLanguage(requestReportPath('answer-times', filter), lang));

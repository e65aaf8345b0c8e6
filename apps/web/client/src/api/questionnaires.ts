import type {
  MyQuestionnaireView,
  QuestionnaireAction,
  QuestionnaireAnswers,
  QuestionnaireInput,
  QuestionnaireStatus,
  QuestionnaireSummary,
  QuestionnaireToFill,
  QuestionnaireView,
} from '#contracts';
import { request } from './api.js';

const one = (id: string) => `/api/questionnaires/${encodeURIComponent(id)}`;
const mine = (id: string) => `/api/my/questionnaires/${encodeURIComponent(id)}`;

/** Editors and admins: the questionnaires of their subtree (archived ones only when asked for). */
export const listQuestionnaires = (status?: QuestionnaireStatus) =>
  request<QuestionnaireSummary[]>('GET', `/api/questionnaires${status ? `?status=${status}` : ''}`);
export const getQuestionnaire = (id: string) => request<QuestionnaireView>('GET', one(id));
export const createQuestionnaire = (input: QuestionnaireInput) => request<QuestionnaireView>('POST', '/api/questionnaires', input);
export const updateQuestionnaire = (id: string, input: QuestionnaireInput) => request<QuestionnaireView>('PUT', one(id), input);
export const actOnQuestionnaire = (id: string, action: QuestionnaireAction) => request<QuestionnaireView>('POST', `${one(id)}/${action}`);

/** Members: their open questionnaires, one to fill in, its draft, and the submission. */
export const listMyQuestionnaires = () => request<MyQuestionnaireView[]>('GET', '/api/my/questionnaires');
export const getQuestionnaireToFill = (id: string) => request<QuestionnaireToFill>('GET', mine(id));
export const saveQuestionnaireDraft = (id: string, answers: QuestionnaireAnswers) =>
  request<{ savedAt: string }>('PUT', `${mine(id)}/draft`, { answers });
export const submitQuestionnaire = (id: string, answers: QuestionnaireAnswers) =>
  request<{ state: 'submitted' }>('POST', `${mine(id)}/submit`, { answers });

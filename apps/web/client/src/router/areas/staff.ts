// Grading and the members' voice desk (questionnaire designer and results, demand), for editors and admins,
// fetched on first use.
export { GradingQuestionPage } from '../../exams/admin/grading-question-page.js';
export { GradingQueuePage } from '../../exams/admin/grading-queue-page.js';
export { VoicePage } from '../../voice/voice-page.js';
export { QuestionnaireEditPage } from '../../voice/questionnaires/questionnaire-edit-page.js';
export { QuestionnaireListPage } from '../../voice/questionnaires/questionnaire-list-page.js';
export { QuestionnaireResultsPage } from '../../voice/results/questionnaire-results-page.js';
export { ResponseRatePage } from '../../voice/results/response-rate-page.js';
export { DemandPage } from '../../voice/requests/demand-page.js';
export { DemandRequestPage } from '../../voice/requests/demand-request-page.js';

// The studio: editors' course, question bank, exam, caption, chapter and preview pages, fetched on first use.
export { CourseEditorPage } from '../../studio/course-editor-page.js';
export { NewCoursePage } from '../../studio/new-course-page.js';
export { StudioPage } from '../../studio/studio-page.js';
export { ExamEditPage } from '../../exams/editor/exam-edit-page.js';
export { ExamListPage } from '../../exams/editor/exam-list-page.js';
export { QuestionBankPage } from '../../exams/editor/question-bank-page.js';
export { QuestionEditPage } from '../../exams/editor/question-edit-page.js';
export { QuestionImportPage } from '../../exams/editor/question-import-page.js';
export { CaptionsEditorPage } from '../../captions/captions-editor-page.js';
export { ChaptersEditorPage } from '../../chapters/chapters-editor-page.js';
export { LecturePreviewPage } from '../../preview/preview-page.js';

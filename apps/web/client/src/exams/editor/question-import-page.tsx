import { useEffect, useRef, useState } from 'preact/hooks';
import {
  bankFileKind,
  confirmQuestionImport,
  downloadQuestionTemplate,
  previewQuestionImport,
  QUESTION_IMPORT_ACCEPT,
  QUESTION_IMPORT_MAX_BYTES,
  type QuestionImportPreview,
  type QuestionImportResult,
} from '../../api/exam-bank.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { FileButton } from '../../components/file-button.js';
import { Page } from '../../components/page.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { bankPaths, kindLabel, problemText, trimmed } from './shared.js';
import '../../organisation/import.css';

type Stage =
  | { kind: 'pick' }
  | { kind: 'reading'; name: string }
  | { kind: 'preview'; preview: QuestionImportPreview; confirming: boolean }
  | { kind: 'done'; result: QuestionImportResult };

/**
 * Questions from a spreadsheet in two steps, as members are imported: choose the file and see what each
 * row would become (and what is wrong with the rows that cannot), then confirm the rows that can.
 */
export function QuestionImportPage() {
  const { t } = useT();
  const [stage, setStage] = useState<Stage>({ kind: 'pick' });
  const [problem, setProblem] = useState<string | null>(null);
  const [download, setDownload] = useState<string | null>(null);

  const upload = async (file: File) => {
    setProblem(null);
    if (bankFileKind(file.name) === 'other') return setProblem(t('examEditor.import.wrongType'));
    if (file.size > QUESTION_IMPORT_MAX_BYTES) return setProblem(t('examEditor.import.tooBig'));
    setStage({ kind: 'reading', name: file.name });
    try {
      setStage({ kind: 'preview', preview: await previewQuestionImport(file), confirming: false });
    } catch (failure) {
      setProblem(problemText(failure, t));
      setStage({ kind: 'pick' });
    }
  };

  const confirm = async (preview: QuestionImportPreview) => {
    setProblem(null);
    setStage({ kind: 'preview', preview, confirming: true });
    try {
      setStage({ kind: 'done', result: await confirmQuestionImport(preview.batchId) });
    } catch (failure) {
      setProblem(problemText(failure, t));
      setStage({ kind: 'preview', preview, confirming: false });
    }
  };

  const template = async (format: 'xlsx' | 'csv') => {
    setDownload(null);
    try {
      await downloadQuestionTemplate(format, `${t('examEditor.import.templateName')}.${format}`);
    } catch {
      setDownload(t('examEditor.import.downloadFailed'));
    }
  };

  const startAgain = () => {
    setProblem(null);
    setStage({ kind: 'pick' });
  };

  return (
    <>
      <Breadcrumb
        trail={[
          { href: '/studio', label: t('studio.title') },
          { href: bankPaths.bank, label: t('examEditor.bank.title') },
        ]}
        current={t('examEditor.import.title')}
      />
      <Page title={t('examEditor.import.title')}>
        <p class="lead">{t('examEditor.import.intro')}</p>
        <Alert message={problem} />

        {stage.kind === 'pick' && (
          <>
            <section class="panel import-help" aria-labelledby="qimport-columns">
              <h2 id="qimport-columns">{t('examEditor.import.columnsTitle')}</h2>
              <p>{t('examEditor.import.columns')}</p>
              <p class="actions">
                <button type="button" class="button" onClick={() => void template('xlsx')}>
                  {t('examEditor.import.templateXlsx')}
                </button>
                <button type="button" class="button button--quiet" onClick={() => void template('csv')}>
                  {t('examEditor.import.templateCsv')}
                </button>
              </p>
              <p class="status" role="status">
                {download}
              </p>
            </section>
            <p class="actions">
              <FileButton
                label={t('examEditor.import.pick')}
                accept={QUESTION_IMPORT_ACCEPT}
                primary
                describedBy="qimport-pick-hint"
                onFile={(file) => void upload(file)}
              />
            </p>
            <p id="qimport-pick-hint" class="hint">
              {t('examEditor.import.pickHint')}
            </p>
          </>
        )}

        {stage.kind === 'reading' && (
          <section class="panel" aria-labelledby="qimport-reading">
            <h2 id="qimport-reading">{t('examEditor.import.uploading', { name: stage.name })}</h2>
            <ProgressBar label={t('examEditor.import.uploading', { name: stage.name })} percent={null} tone="upload" />
          </section>
        )}

        {stage.kind === 'preview' && (
          <ImportPreviewTable
            preview={stage.preview}
            confirming={stage.confirming}
            onConfirm={() => void confirm(stage.preview)}
            onStartAgain={startAgain}
          />
        )}

        {stage.kind === 'done' && <ImportFinished result={stage.result} onAgain={startAgain} />}
      </Page>
    </>
  );
}

interface PreviewProps {
  preview: QuestionImportPreview;
  confirming: boolean;
  onConfirm(): void;
  onStartAgain(): void;
}

/** Every row of the file: what it becomes, or what is wrong with it. The rows with problems come first. */
function ImportPreviewTable({ preview, confirming, onConfirm, onStartAgain }: PreviewProps) {
  const { t, lang } = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [preview.batchId]);
  const rows = [...preview.rows].sort((a, b) => Number(a.errors.length === 0) - Number(b.errors.length === 0) || a.row - b.row);
  const expires = new Date(preview.expiresAt).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  const col = (key: 'row' | 'kind' | 'stem' | 'result') => t(`examEditor.import.col.${key}`);
  return (
    <section class="import-preview" aria-labelledby="qimport-preview-title">
      <h2 id="qimport-preview-title" ref={heading} tabIndex={-1}>
        {t('examEditor.import.previewTitle', { name: preview.fileName })}
      </h2>
      <p class="hint">{t(`examEditor.import.encoding.${preview.encoding}`)}</p>
      <ul class="import-counts">
        <li class="import-counts__create">{t('examEditor.import.accept', { count: preview.acceptCount })}</li>
        <li class={preview.rejectCount > 0 ? 'import-counts__reject' : undefined}>
          {t('examEditor.import.reject', { count: preview.rejectCount })}
        </li>
      </ul>
      {preview.rejectCount > 0 && <p class="hint">{t('examEditor.import.rejectHint')}</p>}
      <div class="actions import-actions">
        <button
          type="button"
          class="button button--primary button--big"
          disabled={preview.acceptCount === 0 || confirming}
          aria-describedby={preview.acceptCount === 0 ? 'qimport-nothing' : undefined}
          onClick={onConfirm}
        >
          {confirming ? t('examEditor.import.confirming') : t('examEditor.import.confirm', { count: preview.acceptCount })}
        </button>
        <button type="button" class="button" disabled={confirming} onClick={onStartAgain}>
          {t('examEditor.import.startAgain')}
        </button>
      </div>
      {preview.acceptCount === 0 && (
        <p id="qimport-nothing" class="hint">
          {t('examEditor.import.nothing')}
        </p>
      )}
      <p class="hint">{t('examEditor.import.expires', { time: expires })}</p>
      <table class="members import-table qimport-table">
        <thead>
          <tr>
            <th scope="col">{col('row')}</th>
            <th scope="col">{col('kind')}</th>
            <th scope="col">{col('stem')}</th>
            <th scope="col">{col('result')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.row}>
              <td data-label={col('row')}>{row.row}</td>
              <td data-label={col('kind')}>{row.question ? kindLabel(t, row.question.kind) : t('examEditor.bank.none')}</td>
              <td data-label={col('stem')}>{row.question ? trimmed(row.question.stem, 120) : t('examEditor.bank.none')}</td>
              <td data-label={col('result')}>
                {row.errors.length === 0 ? (
                  <span class="qimport-ok">{t('examEditor.import.ok')}</span>
                ) : (
                  <ul class="qimport-errors">
                    {row.errors.map((error) => (
                      <li key={error}>{error}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ImportFinished({ result, onAgain }: { result: QuestionImportResult; onAgain(): void }) {
  const { t } = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="panel import-done" aria-labelledby="qimport-done-title">
      <h2 id="qimport-done-title" ref={heading} tabIndex={-1}>
        {t('examEditor.import.doneTitle')}
      </h2>
      <p class="import-done__summary" role="status">
        {t('examEditor.import.done', { count: result.created })}
      </p>
      {result.rejected > 0 && <p>{t('examEditor.import.skipped', { count: result.rejected })}</p>}
      <p class="actions">
        <Link href={bankPaths.bank} class="button button--primary">
          {t('examEditor.import.toBank')}
        </Link>
        <button type="button" class="button" onClick={onAgain}>
          {t('examEditor.import.another')}
        </button>
      </p>
    </section>
  );
}

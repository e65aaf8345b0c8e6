import { useState } from 'preact/hooks';
import {
  confirmImport,
  fileKind,
  IMPORT_ACCEPT,
  IMPORT_MAX_BYTES,
  ImportError,
  uploadMemberFile,
  type ImportPreview,
  type ImportResult,
} from '../api/member-import.js';
import { FileButton } from '../components/file-button.js';
import { Page } from '../components/page.js';
import { ProgressBar } from '../components/progress-bar.js';
import { errorKey } from '../i18n/error-key.js';
import { zh as importMessages } from '../i18n/org/imports.js';
import { useT } from '../i18n/use-t.js';
import { ImportDone } from './import-done.js';
import { ImportHelp } from './import-help.js';
import { ImportPreviewView } from './import-preview.js';
import { OrgNav } from './org-nav.js';
import './import.css';

type Stage =
  | { kind: 'pick' }
  | { kind: 'uploading'; name: string; sent: number; total: number }
  | { kind: 'preview'; preview: ImportPreview; confirming: boolean }
  | { kind: 'done'; result: ImportResult };

const isFileProblem = (code: string | null): code is keyof typeof importMessages.file => !!code && Object.hasOwn(importMessages.file, code);

interface Failure {
  message: string;
  rows: Array<{ line: number; login: string; reason: string; reasonZh: string }>;
}

/**
 * Member import in two steps: choose a file (its upload shows its progress), see what each row would do,
 * then confirm — or download the rows that cannot be imported, fix them and start again.
 */
export function ImportPage() {
  const { t, lang } = useT();
  const [stage, setStage] = useState<Stage>({ kind: 'pick' });
  const [failure, setFailure] = useState<Failure | null>(null);

  const describe = (error: unknown, during: 'upload' | 'confirm'): Failure => {
    if (error instanceof ImportError) {
      if (during === 'upload' && isFileProblem(error.code)) return { message: t(`orgImport.file.${error.code}`, error.params), rows: [] };
      if (error.status === 413) return { message: t('orgImport.tooBig'), rows: [] };
      if (during === 'confirm' && error.status === 409) {
        return error.rows.length > 0
          ? { message: t('orgImport.conflict'), rows: error.rows }
          : { message: t('orgImport.alreadyDone'), rows: [] };
      }
      if (during === 'confirm' && error.status === 410) return { message: t('orgImport.expired'), rows: [] };
    }
    return { message: t(errorKey(error)), rows: [] };
  };

  const upload = async (file: File) => {
    setFailure(null);
    if (fileKind(file.name) === 'other') return setFailure({ message: t('orgImport.wrongType'), rows: [] });
    if (file.size > IMPORT_MAX_BYTES) return setFailure({ message: t('orgImport.tooBig'), rows: [] });
    setStage({ kind: 'uploading', name: file.name, sent: 0, total: file.size });
    try {
      const preview = await uploadMemberFile(file, (sent, total) => setStage({ kind: 'uploading', name: file.name, sent, total }));
      setStage({ kind: 'preview', preview, confirming: false });
    } catch (error) {
      setFailure(describe(error, 'upload'));
      setStage({ kind: 'pick' });
    }
  };

  const confirm = async (preview: ImportPreview) => {
    setFailure(null);
    setStage({ kind: 'preview', preview, confirming: true });
    try {
      setStage({ kind: 'done', result: await confirmImport(preview.id) });
    } catch (error) {
      setFailure(describe(error, 'confirm'));
      setStage({ kind: 'preview', preview, confirming: false });
    }
  };

  const startAgain = () => {
    setFailure(null);
    setStage({ kind: 'pick' });
  };

  const percent = stage.kind === 'uploading' && stage.total > 0 ? Math.round((stage.sent / stage.total) * 100) : 0;

  return (
    <Page title={t('orgImport.title')}>
      <OrgNav />
      <p class="lead">{t('orgImport.intro')}</p>

      <div class={failure ? 'alert alert--shown' : 'alert'} role="alert">
        {failure?.message}
        {failure && failure.rows.length > 0 && (
          <>
            <span class="alert__detail">{t('orgImport.conflictRows')}</span>
            <ul class="import-conflicts">
              {failure.rows.map((row) => (
                <li key={row.line}>
                  {t('orgImport.col.line')} {row.line}（{row.login}）：{lang === 'en' ? row.reason : row.reasonZh}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>

      {stage.kind === 'pick' && (
        <>
          <ImportHelp />
          <p class="actions">
            <FileButton
              label={t('orgImport.pick')}
              accept={IMPORT_ACCEPT}
              primary
              describedBy="import-pick-hint"
              onFile={(file) => void upload(file)}
            />
          </p>
          <p id="import-pick-hint" class="hint">
            {t('orgImport.pickHint')}
          </p>
        </>
      )}

      {stage.kind === 'uploading' && (
        <section class="panel" aria-labelledby="import-uploading">
          <h2 id="import-uploading">{t('orgImport.uploading', { name: stage.name })}</h2>
          <ProgressBar
            label={t('orgImport.uploading', { name: stage.name })}
            percent={stage.sent >= stage.total ? null : percent}
            tone="upload"
            valueText={t('orgImport.uploadProgress', { percent })}
          />
          <p class="status" role="status">
            {stage.sent >= stage.total ? t('orgImport.checking') : t('orgImport.uploadProgress', { percent })}
          </p>
        </section>
      )}

      {stage.kind === 'preview' && (
        <ImportPreviewView
          preview={stage.preview}
          confirming={stage.confirming}
          onConfirm={() => void confirm(stage.preview)}
          onStartAgain={startAgain}
        />
      )}

      {stage.kind === 'done' && <ImportDone result={stage.result} onAgain={startAgain} />}
    </Page>
  );
}

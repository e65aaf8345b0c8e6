import zhCN from '../i18n/zh-CN.js';
import { useT } from '../i18n/use-t.js';

type FailureCode = keyof typeof zhCN.failures;
const isKnown = (code: string): code is FailureCode => Object.prototype.hasOwnProperty.call(zhCN.failures, code);

/** Why processing failed, in the editor's language when the code is known, else the service's own (English) words. */
export function useFailureText(): (failure: { code?: string | null; reason?: string | null }) => string {
  const { t } = useT();
  return ({ code, reason }) => (code && isKnown(code) ? t(`failures.${code}`) : (reason ?? ''));
}

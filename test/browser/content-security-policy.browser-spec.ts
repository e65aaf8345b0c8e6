import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../apps/web/src/security-headers.js';
import { expectConsoleErrors, signInAs } from '../support/browser.js';
import { browserSuite, desktop, messagesOf, signInLabels } from '../support/browser-suite.js';
import { waitUntil } from '../support/ports.js';
import { publishTestMedia } from '../support/published-media.js';

jest.setTimeout(120_000);

/** The built app behind the real gateway, whose CSP must let it do everything a member does. */
const suite = browserSuite({ services: ['catalog', 'web'] });
const t = messagesOf('zh-CN');
const course = { id: '', title: '安全策略下的课程' };
const lecture = { id: '', title: '第一讲 播放检查' };

/** Every `securitypolicyviolation` of every page and frame of the context, kept in the page as they happen. */
const COLLECT_VIOLATIONS = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || '(inline)') + ' at ' + event.sourceFile + ':' + event.lineNumber);
  });
`;
const violationsOf = (page: Page) => page.evaluate<string[]>('window.__violations');

async function watchedContext(): Promise<BrowserContext> {
  // The harness bypasses the policy for other specs (see launchBrowser); here it is in force.
  const context = await suite.browser.newContext({ baseURL: suite.stack.baseUrl, locale: 'zh-CN', viewport: desktop, bypassCSP: false });
  await context.addInitScript(COLLECT_VIOLATIONS);
  return context;
}

beforeAll(async () => {
  const editor = await suite.tokenOf(suite.stack.demo.editor);
  const [category] = await suite.api<Array<{ id: string }>>(editor, 'GET', '/api/course-categories');
  const { assetId } = await publishTestMedia(suite.db, suite.stack.env.STORAGE_DIR!, 12);
  course.id = (await suite.api<{ id: string }>(editor, 'POST', '/api/courses', { title: course.title, categoryId: category!.id })).id;
  lecture.id = (
    await suite.api<{ id: string }>(editor, 'POST', `/api/courses/${course.id}/lectures`, {
      title: lecture.title,
      speaker: '钱老师',
      assetId,
    })
  ).id;
  await suite.api(editor, 'POST', `/api/courses/${course.id}/publish`);
}, 180_000);

describe('the content security policy of the web app', () => {
  it('is sent with the app, and nothing the app does while a member signs in, browses and plays a lecture breaks it', async () => {
    const context = await watchedContext();
    const page = await context.newPage();
    const home = await page.goto('/');
    expect(home?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(home?.headers()['x-frame-options']).toBe('DENY');

    await signInAs(page, suite.stack.demo.member, signInLabels('zh-CN'));
    await page.getByRole('link', { name: t.nav.courses }).click();
    await page.getByRole('heading', { level: 1, name: t.courses.title }).waitFor();
    await page
      .getByRole('link', { name: new RegExp(course.title) })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: course.title }).waitFor();

    await page.goto(`/lectures/${lecture.id}?course=${course.id}`);
    await page.getByRole('button', { name: t.player.bigPlay }).click();
    // Polled from outside: waitForFunction would evaluate its predicate with eval, which the policy forbids.
    await waitUntil(
      async () => (await page.evaluate<number>('document.querySelector("video").currentTime')) > 2,
      60_000,
      'the lecture playing',
    );
    // Played by hls.js through Media Source Extensions (a blob: URL), the path that needs blob: in the policy.
    expect(await page.evaluate('document.querySelector("video").dataset.engine')).toBe('hls.js');
    expect(await page.evaluate<string>('document.querySelector("video").currentSrc')).toMatch(/^blob:/);

    expect(await violationsOf(page)).toEqual([]);
    await context.close();
  });

  it('is enforced: what the app never does, loading a script from elsewhere or running an inline one, is refused and reported', async () => {
    expectConsoleErrors(/Content Security Policy/);
    const context = await watchedContext();
    const page = await context.newPage();
    await page.goto('/');
    await page.evaluate(`(() => {
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.append(inline);
      const remote = document.createElement('script');
      remote.src = 'https://cdn.example.invalid/x.js';
      document.body.append(remote);
    })()`);
    await waitUntil(async () => (await violationsOf(page)).length >= 2, 10_000, 'two violations reported');
    expect(await page.evaluate('window.__inlineRan === true')).toBe(false);
    const violations = await violationsOf(page);
    expect(violations.some((v) => v.startsWith('script-src-elem blocked inline'))).toBe(true);
    expect(violations.some((v) => v.startsWith('script-src-elem blocked https://cdn.example.invalid/x.js'))).toBe(true);
    await context.close();
  });
});

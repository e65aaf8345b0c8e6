import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Response } from 'playwright-core';
import { DataSource } from 'typeorm';
import { launchBrowser, signInAs } from '../support/browser.js';
import { messagesOf, phone, signInLabels } from '../support/browser-suite.js';
import { startEdgeFor, type TestEdge } from '../support/edge.js';
import { publishTestMedia } from '../support/published-media.js';
import { startStack, type Stack } from '../support/stack.js';

jest.setTimeout(120_000);

/** A member plays a published lecture in Chromium with the page, the API and every media byte going through the nginx edge. */
let stack: Stack;
let edge: TestEdge;
let browser: Browser;
const course = { id: '', title: '边缘节点 · 在线播放' };
const lecture = { id: '', title: '第一讲 走进边缘节点' };

beforeAll(async () => {
  stack = await startStack({ services: ['catalog', 'web'] });
  const api = async <T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(stack.baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as T;
  };
  const { editor } = stack.demo;
  const token = (await api<{ accessToken: string }>(null, 'POST', '/api/auth/login', { login: editor.login, password: editor.password }))
    .accessToken;
  const db = new DataSource({ type: 'postgres', url: stack.db.url });
  await db.initialize();
  let assetId: string;
  try {
    ({ assetId } = await publishTestMedia(db, stack.env.STORAGE_DIR!, 8));
  } finally {
    await db.destroy();
  }
  const [category] = await api<Array<{ id: string }>>(token, 'GET', '/api/course-categories');
  course.id = (await api<{ id: string }>(token, 'POST', '/api/courses', { title: course.title, categoryId: category!.id })).id;
  lecture.id = (await api<{ id: string }>(token, 'POST', `/api/courses/${course.id}/lectures`, { title: lecture.title, assetId })).id;
  await api(token, 'POST', `/api/courses/${course.id}/publish`);
  edge = await startEdgeFor(stack);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await stack?.stop();
}, 60_000);

describe('playback through the nginx edge', () => {
  it('plays with hls.js, every playlist and segment served by nginx from storage', async () => {
    const context = await browser.newContext({ baseURL: edge.url, locale: 'zh-CN', viewport: phone });
    const media: Response[] = [];
    context.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/hls/')) media.push(response);
    });
    const page = await context.newPage();
    await page.goto('/');
    await signInAs(page, stack.demo.member, signInLabels('zh-CN'));
    await page.goto(`/lectures/${lecture.id}?course=${course.id}`);
    await page.getByRole('heading', { level: 1, name: lecture.title }).waitFor();
    await page.getByRole('button', { name: messagesOf('zh-CN').player.bigPlay }).click();
    await page.waitForFunction('document.querySelector("video").currentTime > 3', null, { timeout: 60_000 });

    const segments = media.filter((r) => /\.m4s$/.test(new URL(r.url()).pathname));
    expect(segments.length).toBeGreaterThanOrEqual(2);
    expect(media.some((r) => new URL(r.url()).pathname.endsWith('/master.m3u8'))).toBe(true);
    for (const response of media) {
      expect(new URL(response.url()).origin).toBe(edge.url);
      expect([200, 206]).toContain(response.status());
      const headers = await response.allHeaders();
      expect(headers.server).toBe('nginx');
      // Only the edge says "public": the catalog's own answers are private.
      expect(headers['cache-control']).toBe(
        response.url().endsWith('.m3u8') ? 'private, max-age=300' : 'public, max-age=31536000, immutable',
      );
    }
    await context.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from '../support/ports.js';
import { ROOT, startStack, type Stack } from '../support/stack.js';

const DASHBOARD = join(ROOT, 'infra/grafana/lectern-dashboard.json');
const ALERTS = join(ROOT, 'infra/grafana/alerts.yml');
const METRICS_TOKEN = 'metrics-token-for-the-e2e-test-0123456789';

let stack: Stack;
let webMetrics: string;
let transcoderMetrics: string;

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

/** The series names a PromQL expression reads. */
function seriesIn(expr: string): string[] {
  // A name is what stands before a selector `{` or a range `[`, or alone as an aggregation's argument;
  // the label lists of `by (…)` are no names.
  const withoutLabels = expr
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  return [...withoutLabels.matchAll(/\b([a-z_][a-z0-9_]*)\s*(?=\{\}|\[\]|\))/g)].map((m) => m[1]!);
}

/** Every series name the dashboard's queries read. */
function dashboardMetricNames(dashboard: { panels: Panel[] }): Set<string> {
  const names = new Set<string>();
  const visit = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const { expr } of panel.targets ?? []) for (const name of seriesIn(expr)) names.add(name);
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  return names;
}

/** Every series name the alerting rules read, but Prometheus's own `up`. */
function alertMetricNames(rules: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }): Set<string> {
  const names = new Set(rules.groups.flatMap((group) => group.rules.flatMap((rule) => seriesIn(rule.expr))));
  names.delete('up');
  return names;
}

/** The metric families a scrape declares (`# TYPE name type`). */
function families(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Whether a series name is exported: a family itself, or a histogram's _bucket, _sum or _count. */
function exported(name: string, declared: Map<string, string>): boolean {
  if (declared.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && ['histogram', 'summary'].includes(declared.get(base) ?? '');
}

const scrape = async (url: string, headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }) => {
  const answer = await fetch(url, { headers });
  return { status: answer.status, text: await answer.text() };
};

beforeAll(async () => {
  const [webPort, transcoderPort] = await Promise.all([freePort(), freePort()]);
  webMetrics = `http://127.0.0.1:${webPort}/metrics`;
  transcoderMetrics = `http://127.0.0.1:${transcoderPort}/metrics`;
  stack = await startStack({
    envFor: (service) => ({
      METRICS_TOKEN,
      ...(service === 'web' ? { WEB_METRICS_PORT: String(webPort) } : {}),
      ...(service === 'transcoder' ? { TRANSCODER_METRICS_PORT: String(transcoderPort) } : {}),
    }),
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('metrics of the running stack', () => {
  it('exports every metric the Grafana dashboard and the alerting rules read', async () => {
    // Some traffic through the gateway, so the request series have samples too.
    const login = await fetch(`${stack.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: stack.demo.member.login, password: stack.demo.member.password }),
    });
    expect(login.status).toBe(200);

    const scrapes = await Promise.all([
      scrape(`${stack.catalogUrl}/metrics`),
      scrape(`${stack.uploadUrl}/metrics`),
      scrape(webMetrics),
      scrape(transcoderMetrics),
    ]);
    for (const { status } of scrapes) expect(status).toBe(200);
    const [catalog, upload, web, transcoder] = scrapes.map(({ text }) => text);
    expect(catalog).toMatch(/lectern_http_requests_total\{[^}]*route="\/api\/auth\/login"[^}]*\} 1/);
    expect(web).toMatch(/lectern_http_requests_total\{[^}]*route="\/api\/\*"[^}]*\} 1/);
    for (const [service, text] of Object.entries({ catalog, upload, web, transcoder })) {
      expect(text).toContain(`service="${service}"`);
      expect(text).toContain('process_cpu_seconds_total');
    }

    const declared = new Map([catalog, upload, web, transcoder].flatMap((text) => [...families(text!)]));
    const names = dashboardMetricNames(JSON.parse(readFileSync(DASHBOARD, 'utf8')));
    expect(names.size).toBeGreaterThanOrEqual(15);
    expect([...names].filter((name) => !exported(name, declared))).toEqual([]);
    const alerted = alertMetricNames(parse(readFileSync(ALERTS, 'utf8')));
    expect(alerted.size).toBeGreaterThanOrEqual(8);
    expect([...alerted].filter((name) => !exported(name, declared))).toEqual([]);
  });

  it('keeps /metrics from the public: not through the gateway, and only with the token', async () => {
    const viaGateway = await fetch(`${stack.baseUrl}/metrics`);
    expect(await viaGateway.text()).not.toContain('# TYPE');
    expect((await scrape(`${stack.catalogUrl}/metrics`, {})).status).toBe(401);
    expect((await scrape(webMetrics, { authorization: 'Bearer wrong-token-wrong-token-wrong-token' })).status).toBe(403);
    expect((await scrape(transcoderMetrics, {})).status).toBe(401);
  });
});

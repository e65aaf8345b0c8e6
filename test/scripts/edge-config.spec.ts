import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EDGE_TEMPLATE, NGINX, renderEdgeConfig } from '../../scripts/edge.mjs';

const template = readFileSync(EDGE_TEMPLATE, 'utf8');
const production = readFileSync(join(EDGE_TEMPLATE, '..', 'lectern.conf'), 'utf8');
const base = {
  port: 8090,
  workDir: '/tmp/lectern-edge-spec',
  storageDir: '/srv/lectern/storage',
  catalogUrl: 'http://127.0.0.1:3000',
  webUrl: 'http://127.0.0.1:8080',
};
const s3 = { endpoint: 'http://127.0.0.1:9000', bucket: 'lectern' };

/** The block that starts with `header` (a line of its own up to "{"), up to its closing brace, each line trimmed. */
function block(config: string, header: string): string[] {
  const lines = config.split('\n').map((line) => line.trim());
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start < 0) throw new Error(`no block ${header}`);
  let depth = 0;
  for (let end = start; end < lines.length; end++) {
    depth += (lines[end]!.match(/\{/g) ?? []).length - (lines[end]!.match(/\}/g) ?? []).length;
    if (depth === 0) return lines.slice(start, end + 1).filter((line) => line && !line.startsWith('#'));
  }
  throw new Error(`block ${header} is not closed`);
}

/** nginx -t on a configuration, with its own prefix; answers nginx's complaint, or '' when it is valid. */
function nginxTest(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-edge-test-'));
  try {
    writeFileSync(join(dir, 'nginx.conf'), config);
    const result = spawnSync(NGINX, ['-t', '-q', '-p', `${dir}/`, '-c', 'nginx.conf', '-e', 'stderr'], { encoding: 'utf8' });
    return result.status === 0 ? '' : result.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the edge template', () => {
  it.each([
    ['local', undefined, ['alias /srv/lectern/storage/$hls_source/$hls_file;'], ['proxy_cache lectern_media;', 'upstream lectern_s3']],
    ['s3', s3, ['proxy_pass http://lectern_s3/lectern/$hls_source/$hls_file;', 'proxy_cache lectern_media;'], ['alias ']],
  ])('renders the %s storage section only', (_label, bucket, present, absent) => {
    const config = renderEdgeConfig(template, { ...base, s3: bucket });
    for (const text of present) expect(config).toContain(text);
    for (const text of absent) expect(config).not.toContain(text);
    expect(config).not.toMatch(/\{\{\w+\}\}|^\s*# @(if|end)/m);
    expect(config).toContain('listen 127.0.0.1:8090;');
    expect(config).toContain('server 127.0.0.1:3000;');
    expect(config).toContain('proxy_cache_valid 200 204 30s;');
  });

  it('keys cached media by object path and slice, and verdicts by token: never a token in a media key', () => {
    const config = renderEdgeConfig(template, { ...base, s3 });
    expect(config).toContain('proxy_cache_key "lectern/$hls_source/$hls_file $slice_range";');
    expect(config).toContain('proxy_cache_key "$hls_token/$hls_asset";');
    const mediaKeys = config.split('\n').filter((line) => line.includes('proxy_cache_key') && line.includes('hls_file'));
    expect(mediaKeys.every((line) => !line.includes('hls_token'))).toBe(true);
  });

  it.each([
    ['a storage folder with a semicolon', { storageDir: '/srv/x; autoindex on' }],
    ['a bucket with a space', { s3: { endpoint: 'http://127.0.0.1:9000', bucket: 'a b' } }],
    ['an https catalog', { catalogUrl: 'https://catalog.internal' }],
    ['a verdict lifetime that is not a duration', { verdictTtl: '30s; allow all' }],
  ])('refuses %s rather than write it into the configuration', (_label, change) => {
    expect(() => renderEdgeConfig(template, { ...base, ...change })).toThrow();
  });

  it.each([
    ['local', undefined],
    ['s3', s3],
  ])('renders a configuration Debian nginx accepts (%s)', (_label, bucket) => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-edge-render-'));
    try {
      for (const sub of ['logs', 'tmp', 'cache']) mkdirSync(join(dir, sub));
      expect(nginxTest(renderEdgeConfig(template, { ...base, workDir: dir, s3: bucket, user: 'root' }))).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the production site (infra/nginx/lectern.conf)', () => {
  const rendered = renderEdgeConfig(template, base);

  it.each([
    'location = /_lectern/verdict',
    'map "$hls_ext:$hls_prefix" $hls_cache_control',
    'map "$hls_ext:$hls_prefix" $hls_growing_playlist',
    'map $hls_prefix $hls_source',
    'map "$hls_file|$hls_downloads" $hls_download_name',
    'map $hls_download_name $hls_disposition',
    'map $hls_refusal $hls_refusal_body',
    'location @hls_refused',
    'location @hls_expired',
    'geo $realip_remote_addr $lectern_trusted_hop',
  ])('has the tested edge\'s "%s"', (header) => {
    expect(block(production, header)).toEqual(block(rendered, header));
  });

  it('checks media links as the tested edge does', () => {
    const media = (config: string) => block(config, 'location ~ "^/hls/');
    expect(media(production)[0]).toBe(media(rendered)[0]);
    const checks = (lines: string[]) => lines.filter((line) => /^(auth_request|error_page|limit_except|add_header)/.test(line));
    expect(checks(media(production))).toEqual(checks(media(rendered)));
  });

  it('is accepted by Debian nginx inside an http block, with TLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-site-'));
    try {
      const made = spawnSync('openssl', [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=study.example.org'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ]);
      expect(made.status).toBe(0);
      const site = production
        .replace('/etc/ssl/certs/lectern.pem', join(dir, 'cert.pem'))
        .replace('/etc/ssl/private/lectern.key', join(dir, 'key.pem'))
        .replace('/var/cache/nginx/lectern-verdicts', join(dir, 'verdicts'));
      writeFileSync(join(dir, 'lectern.conf'), site);
      const wrapper = [
        `pid ${dir}/nginx.pid;`,
        'events {}',
        'http {',
        `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;`,
        `  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi; access_log off;`,
        `  include ${dir}/lectern.conf;`,
        '}',
      ].join('\n');
      expect(nginxTest(wrapper)).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Renders the media edge's nginx configuration (infra/nginx/edge.conf.template, through the same
// renderEdgeConfig the tests run) for the container set-ups, into the files Compose mounts and Kustomize
// puts in a ConfigMap:
//   node infra/docker/render-edge-configs.mjs          write them
//   node infra/docker/render-edge-configs.mjs --check  exit 1 when a file differs from a fresh rendering
// Run it after changing the template; test/infra keeps the files equal to a fresh rendering.
// Node built-ins only.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EDGE_TEMPLATE, renderEdgeConfig } from '../../scripts/edge.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where nginx keeps its pid, temporary files and caches: the official image's cache folder, owned by its nginx user. */
export const EDGE_WORK_DIR = '/var/cache/nginx';

// Inside the containers: nginx listens on 8080 as an unprivileged user, finds the services by their
// Compose or Kubernetes service names and reads media from the bucket (path-style, without credentials:
// the bucket lets anyone who can reach it read media/ only, and only the edge can reach it).
const shared = {
  host: '0.0.0.0',
  port: 8080,
  workDir: EDGE_WORK_DIR,
  workerProcesses: 'auto',
  catalogUrl: 'http://catalog:3000',
  webUrl: 'http://web:8080',
  verdictTtl: '30s',
  refusalTtl: '5s',
};

export const EDGE_TARGETS = [
  {
    // Compose: the edge is the first hop (publish it, or put a TLS terminator you list here in front).
    file: 'infra/compose/edge/nginx.conf',
    options: { ...shared, s3: { endpoint: 'http://minio:9000', bucket: 'lectern' }, mediaCacheMax: '20g', trustedProxies: [] },
  },
  {
    // Kubernetes: behind the cluster's ingress or load balancer, inside the pod network.
    file: 'infra/kubernetes/base/edge/nginx.conf',
    options: { ...shared, s3: { endpoint: 'http://minio:9000', bucket: 'lectern' }, mediaCacheMax: '8g', trustedProxies: ['10.0.0.0/8'] },
  },
];

export function renderTarget(target, overrides = {}) {
  const header = '# Rendered from infra/nginx/edge.conf.template by infra/docker/render-edge-configs.mjs: edit those, not this file.\n';
  return header + renderEdgeConfig(readFileSync(EDGE_TEMPLATE, 'utf8'), { ...target.options, ...overrides });
}

function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const target of EDGE_TARGETS) {
    const path = join(ROOT, target.file);
    const rendered = renderTarget(target);
    if (!check) {
      writeFileSync(path, rendered);
      console.log(`wrote ${target.file}`);
    } else if (readFileSync(path, 'utf8') !== rendered) {
      console.error(`${target.file} differs from infra/nginx/edge.conf.template: run node infra/docker/render-edge-configs.mjs`);
      stale++;
    }
  }
  process.exit(stale ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

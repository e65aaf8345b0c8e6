import { afterAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { QUEUES } from '#contracts';
import { catalogEnvSchema, commonEnvSchema, transcoderEnvSchema, uploadEnvSchema, webEnvSchema } from '#config';
import { Redis } from 'ioredis';
import { ROOT } from '../support/stack.js';
import {
  containersOf,
  dockerIgnored,
  dockerStages,
  interpolate,
  kustomize,
  parseEnvFile,
  parseYamlFile,
  podSpecOf,
  readDockerignore,
  splitImage,
  stageChain,
  type Container,
  type Doc,
  type Loose,
} from './manifests.js';

// infra/ can't be run here (no Docker engine, no cluster), so its files are checked against the code they
// configure: each variable against the process's config schema, each referenced file, each name that
// must agree between two files. Where a real tool is present (docker-compose, kubectl, nginx) it checks too.

const INFRA = join(ROOT, 'infra');
const COMPOSE_DIR = join(INFRA, 'compose');
const COMPOSE_FILE = join(COMPOSE_DIR, 'docker-compose.yml');
const DOCKERFILE = join(INFRA, 'docker/Dockerfile');
const KUBE = join(INFRA, 'kubernetes');
const KUSTOMIZATIONS = ['base', ...readdirSync(join(KUBE, 'overlays')).map((name) => `overlays/${name}`)];

type Schema = z.ZodObject<z.ZodRawShape>;
/** `node dist/apps/catalog/src/cli.js …` reads DATABASE_URL only (apps/catalog/src/cli.ts). */
const cliSchema = commonEnvSchema.pick({ DATABASE_URL: true }) as unknown as Schema;
const SCHEMAS: Record<string, Schema> = {
  catalog: catalogEnvSchema as unknown as Schema,
  upload: uploadEnvSchema as unknown as Schema,
  transcoder: transcoderEnvSchema as unknown as Schema,
  web: webEnvSchema as unknown as Schema,
};
const names = (schema: Schema) => new Set(Object.keys(schema.shape));
/** Variables without a default that must be set (JWT_SECRET today): what parsing nothing complains about. */
const required = (schema: Schema) => {
  const result = schema.safeParse({});
  return result.success ? [] : result.error.issues.filter((i) => i.code === 'invalid_type').map((i) => String(i.path[0]));
};
/** What the process makes of `env`: null when it starts, the problems otherwise. */
const problems = (schema: Schema, env: Record<string, string>) => {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  return result.success ? null : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, test);
    return test(name) ? [path] : [];
  });
}

/** The Lectern process a container runs, and the schema its environment must satisfy; null for others. */
function processOf(image: string, command: string[] = []): { name: string; schema: Schema } | null {
  const app = /(?:^|\/)lectern\/(catalog|upload|transcoder|web)$/.exec(splitImage(image)[0])?.[1];
  if (!app) return null;
  if (command.join(' ').includes('dist/apps/catalog/src/cli.js')) return { name: `${app} (catalog cli)`, schema: cliSchema };
  return { name: app, schema: SCHEMAS[app]! };
}

describe('every YAML file in infra/ parses', () => {
  const files = filesUnder(INFRA, (name) => /\.ya?ml$/.test(name));
  it('finds the compose file and the Kubernetes manifests', () => {
    expect(files.map((f) => relative(INFRA, f))).toEqual(
      expect.arrayContaining([
        'compose/docker-compose.yml',
        'kubernetes/base/kustomization.yaml',
        'kubernetes/overlays/example/kustomization.yaml',
      ]),
    );
  });
  it.each(files.map((f) => [relative(ROOT, f), f]))('%s', (_, file) => {
    expect(parseYamlFile(file).length).toBeGreaterThan(0);
  });
});

describe('the Dockerfile', () => {
  const { stages } = dockerStages(DOCKERFILE);
  const ignore = readDockerignore(join(ROOT, '.dockerignore'));
  const targets = ['catalog', 'upload', 'transcoder', 'web'];

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const sources = stages.flatMap((stage) =>
      stage.lines
        .filter((line) => /^(COPY|ADD)\s/i.test(line) && !/--from=/.test(line))
        .flatMap((line) => {
          const words = line
            .split(/\s+/)
            .slice(1)
            .filter((w) => !w.startsWith('--'));
          return words.slice(0, -1);
        }),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: dockerIgnored(ignore, source) }).toEqual({ source, ignored: false });
    }
    // What the build must not take from this machine.
    for (const local of ['node_modules', 'dist', 'apps/web/dist', 'var', '.env', 'var/secret'])
      expect(dockerIgnored(ignore, local)).toBe(true);
  });

  it('copies from stages that exist', () => {
    const named = new Set(stages.map((s) => s.name));
    for (const line of stages.flatMap((s) => s.lines).filter((l) => /--from=/.test(l))) {
      expect(named.has(/--from=(\S+)/.exec(line)![1]!)).toBe(true);
    }
  });

  it.each(targets)('%s: slim Node 20, production dependencies only, non-root, a health check, its own entry point', (target) => {
    const chain = stageChain(stages, target);
    expect(chain[0]!.from).toBe('node:20-bookworm-slim');
    const lines = chain.flatMap((s) => s.lines);
    const deps = stages.find((s) => s.name === 'deps')!;
    expect(deps.lines.join('\n')).toMatch(/npm ci --omit=dev/);
    expect(lines.filter((l) => /^USER\s/.test(l)).at(-1)).toBe('USER node');
    const healthcheck = lines.find((l) => l.startsWith('HEALTHCHECK'))!;
    expect(healthcheck).toContain(`"infra/docker/healthcheck.mjs", "${target}"`);
    const cmd = JSON.parse(lines.find((l) => l.startsWith('CMD'))!.slice(4)) as string[];
    expect(cmd).toEqual(['node', `dist/apps/${target}/src/main.js`]);
    expect(existsSync(join(ROOT, `apps/${target}/src/main.ts`))).toBe(true);
  });

  it.each(targets)('%s: every ENV it sets is a variable the process reads', (target) => {
    const envNames = stageChain(stages, target)
      .flatMap((s) => s.lines)
      .filter((l) => l.startsWith('ENV '))
      .flatMap((l) => [...l.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1]!));
    expect(envNames.filter((name) => !names(SCHEMAS[target]!).has(name))).toEqual([]);
  });

  it('installs ffmpeg where it is run, and the record font in the catalog', () => {
    const text = (target: string) =>
      stageChain(stages, target)
        .flatMap((s) => s.lines)
        .join('\n');
    for (const target of ['upload', 'transcoder']) expect(text(target)).toMatch(/apt-get install .*ffmpeg/);
    for (const target of ['catalog', 'web']) expect(text(target)).not.toMatch(/ffmpeg/);
    expect(text('catalog')).toContain('NotoSansCJK-Regular.ttc');
    expect(text('web')).toContain('apps/web/dist');
  });
});

describe('the image health check (infra/docker/healthcheck.mjs)', () => {
  let status = 200;
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/metrics' && req.headers.authorization !== 'Bearer t'.padEnd(40, 't') ? 401 : status);
    res.end();
  });
  const port = () => (server.address() as { port: number }).port;
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('passes on 200, fails on anything else, and sends the metrics token', async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { check } = (await import(join(ROOT, 'infra/docker/healthcheck.mjs'))) as {
      check: (service: string, env: Record<string, string>) => Promise<void>;
    };
    await expect(check('catalog', { CATALOG_PORT: String(port()) })).resolves.toBeUndefined();
    status = 503;
    await expect(check('upload', { UPLOAD_PORT: String(port()) })).rejects.toThrow(/answered 503/);
    status = 200;
    const token = 'Bearer t'.padEnd(40, 't').slice('Bearer '.length);
    await expect(check('transcoder', { TRANSCODER_METRICS_PORT: String(port()), METRICS_TOKEN: token })).resolves.toBeUndefined();
    await expect(check('transcoder', { TRANSCODER_METRICS_PORT: String(port()) })).rejects.toThrow(/answered 401/);
    await expect(check('transcoder', {})).rejects.toThrow(/TRANSCODER_METRICS_PORT/);
  });
});

describe('infra/compose', () => {
  const exampleEnv = parseEnvFile(join(COMPOSE_DIR, '.env.example'));
  const compose = parse(interpolate(readFileSync(COMPOSE_FILE, 'utf8'), exampleEnv), { merge: true }) as {
    services: Record<string, Loose>;
    volumes: Record<string, unknown>;
  };
  const services = compose.services;
  const { stages } = dockerStages(DOCKERFILE);

  it('passes docker-compose config (Debian docker-compose 1.29 reads it)', () => {
    expect(has('docker-compose')).toBe(true);
    const result = spawnSync('docker-compose', ['--env-file', '.env.example', '-f', 'docker-compose.yml', 'config'], {
      cwd: COMPOSE_DIR,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const resolved = parse(result.stdout) as { services: Record<string, { environment?: Record<string, string> }> };
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(services).sort());
    // Anchors and merges resolved as this test reads them.
    for (const [name, service] of Object.entries(services)) {
      expect({ name, env: resolved.services[name]!.environment ?? {} }).toEqual({ name, env: stringValues(service.environment ?? {}) });
    }
  });

  it('refuses to start without the secrets set', () => {
    expect(() => interpolate(readFileSync(COMPOSE_FILE, 'utf8'), { ...exampleEnv, JWT_SECRET: '' })).toThrow(/JWT_SECRET is required/);
    expect(() => interpolate(readFileSync(COMPOSE_FILE, 'utf8'), { ...exampleEnv, POSTGRES_PASSWORD: '' })).toThrow(/POSTGRES_PASSWORD/);
  });

  it('runs each Lectern process with a configuration its schema accepts, and no variable it does not read', () => {
    const lectern = Object.entries(services).filter(([, s]) => s.build);
    expect(lectern.map(([name]) => name).sort()).toEqual(['catalog', 'migrate', 'transcoder', 'upload', 'web']);
    for (const [name, service] of lectern) {
      const target = service.build.target as string;
      const command = (service.command ?? []) as string[];
      const process = processOf(`lectern/${target}`, command)!;
      const env = stringValues(service.environment ?? {});
      expect({ name, unknown: Object.keys(env).filter((key) => !names(process.schema).has(key)) }).toEqual({ name, unknown: [] });
      expect({ name, missing: required(process.schema).filter((key) => !env[key]) }).toEqual({ name, missing: [] });
      expect({ name, problems: problems(process.schema, env) }).toEqual({ name, problems: null });
    }
  });

  it('builds from stages that exist, in a context that holds the Dockerfile', () => {
    for (const [name, service] of Object.entries(services).filter(([, s]) => s.build)) {
      const context = join(COMPOSE_DIR, service.build.context);
      expect({ name, dockerfile: existsSync(join(context, service.build.dockerfile)) }).toEqual({ name, dockerfile: true });
      expect(stages.map((s) => s.name)).toContain(service.build.target);
    }
  });

  it('gives every folder a read-only service writes to a volume', () => {
    for (const [name, service] of Object.entries(services).filter(([, s]) => s.build && s.read_only)) {
      const env = stringValues(service.environment ?? {});
      const targets = ((service.volumes ?? []) as string[]).map((v) => v.split(':')[1]!);
      for (const [, folder] of writtenFolders(processOf(`lectern/${service.build.target}`)!.schema, env)) {
        expect({ name, folder, mounted: targets.some((t) => folder === t || folder.startsWith(`${t}/`)) }).toEqual({
          name,
          folder,
          mounted: true,
        });
      }
    }
  });

  it('mounts files that exist and volumes it declares', () => {
    for (const service of Object.values(services)) {
      for (const volume of (service.volumes ?? []) as string[]) {
        const [source] = volume.split(':');
        if (source!.startsWith('.') || source!.startsWith('/')) expect(existsSync(join(COMPOSE_DIR, source!))).toBe(true);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('starts the services after the migrations succeeded and the bucket exists', () => {
    for (const name of ['catalog', 'upload', 'transcoder']) {
      expect(services[name]!.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'minio-init': { condition: 'service_completed_successfully' },
      });
    }
    expect(services.migrate!.command).toEqual(['node', 'dist/apps/catalog/src/cli.js', 'prepare-database']);
    expect(services.edge!.volumes).toContain('./edge/nginx.conf:/etc/lectern/nginx.conf:ro');
  });
});

/**
 * The folders a process writes to, by the variables its schema has (uploads, transcode work, and local
 * storage unless media live in the bucket), with their values; an unset one is the default inside the image.
 */
function writtenFolders(schema: Schema, env: Record<string, string>): [string, string][] {
  const variables = ['UPLOAD_DIR', 'WORK_DIR'].filter((name) => names(schema).has(name));
  if (names(schema).has('STORAGE_DRIVER') && env.STORAGE_DRIVER !== 's3') variables.push('STORAGE_DIR');
  return variables.map((name) => [name, env[name] ?? '(unset: a folder in the image)']);
}

/** docker-compose writes every environment value as a string. */
function stringValues(env: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** The builds to check: this test's own reading of each kustomization, and kubectl's when it is installed. */
function builds(): [string, Doc[]][] {
  const out: [string, Doc[]][] = KUSTOMIZATIONS.map((k) => [`${k} (read here)`, kustomize(join(KUBE, k)).docs]);
  if (has('kubectl')) {
    for (const k of KUSTOMIZATIONS) {
      const result = spawnSync('kubectl', ['kustomize', join(KUBE, k)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`kubectl kustomize ${k} failed:\n${result.stderr}`);
      out.push([`${k} (kubectl kustomize)`, parseAllYaml(result.stdout)]);
    }
  }
  return out;
}

function parseAllYaml(text: string): Doc[] {
  return text
    .split(/^---$/m)
    .map((part) => parse(part) as Doc)
    .filter(Boolean);
}

const secretValue = (secret: Doc, key: string): string | undefined =>
  secret.stringData?.[key] ?? (secret.data?.[key] !== undefined ? Buffer.from(secret.data[key], 'base64').toString('utf8') : undefined);

describe('infra/kubernetes', () => {
  it('names only files that exist', () => {
    for (const k of KUSTOMIZATIONS) {
      for (const file of kustomize(join(KUBE, k)).files)
        expect({ file: relative(ROOT, file), exists: existsSync(file) }).toMatchObject({ exists: true });
    }
  });

  it(`builds with kubectl kustomize${has('kubectl') ? '' : ' (kubectl is not installed: only this test reads the kustomizations)'}`, () => {
    const built = builds();
    expect(built.length).toBe(has('kubectl') ? KUSTOMIZATIONS.length * 2 : KUSTOMIZATIONS.length);
    // Both readings give the same objects (kubectl's generated names carry a hash of their content).
    for (const k of KUSTOMIZATIONS) {
      const [[, own], ...others] = built.filter(([label]) => label.startsWith(`${k} `)) as [[string, Doc[]], ...[string, Doc[]][]];
      const known = new Set(own.map((d) => d.metadata.name));
      const kinds = (docs: Doc[]) =>
        docs.map((d) => `${d.kind}/${known.has(d.metadata.name) ? d.metadata.name : d.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort();
      for (const [, docs] of others) expect(kinds(docs)).toEqual(kinds(own));
    }
  });

  describe.each(builds())('%s', (label, docs) => {
    const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
    const secretsPresent = docs.some((d) => d.kind === 'Secret');
    const deployment = (name: string) => find('Deployment', name)!;
    const container = (doc: Doc, name: string) => containersOf(doc).find((c) => c.name === name)!;
    const configMapData = (name: string) =>
      (docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === name)?.data ?? {}) as Record<string, string>;
    const configMapNamed = (prefix: string) =>
      docs.find((d) => d.kind === 'ConfigMap' && (d.metadata.name === prefix || d.metadata.name.startsWith(`${prefix}-`)))!;

    /** The container's environment: names, with values where this build holds them. */
    function environment(c: Container): { names: string[]; values: Record<string, string>; unresolved: string[] } {
      const values: Record<string, string> = {};
      const unresolved: string[] = [];
      const keys: string[] = [];
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) {
          const map = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === from.configMapRef!.name);
          if (!map) throw new Error(`${c.name}: ConfigMap ${from.configMapRef.name} is not in ${label}`);
          Object.assign(values, map.data);
          keys.push(...Object.keys(map.data ?? {}));
        } else throw new Error(`${c.name}: envFrom other than a ConfigMap would hide which variables it sets`);
      }
      for (const entry of c.env ?? []) {
        keys.push(entry.name);
        if (entry.value !== undefined) values[entry.name] = entry.value;
        const ref = entry.valueFrom?.secretKeyRef;
        if (!ref) continue;
        const secret = find('Secret', ref.name);
        const value = secret && secretValue(secret, ref.key);
        if (value !== undefined) values[entry.name] = value;
        else if (secretsPresent && !ref.optional)
          throw new Error(`${c.name}: ${entry.name} names ${ref.name}/${ref.key}, which ${label} lacks`);
        else if (!ref.optional) unresolved.push(entry.name);
      }
      return { names: [...new Set(keys)], values, unresolved };
    }

    const lecternContainers = docs
      .filter((d) => podSpecOf(d))
      .flatMap((d) => containersOf(d).map((c) => ({ doc: d, c, process: processOf(c.image, c.command) })))
      .filter((entry) => entry.process);

    it('runs every Lectern process: catalog, upload, transcoder, web, the migration job and the waits for it', () => {
      expect(lecternContainers.map(({ doc, c }) => `${doc.kind}/${doc.metadata.name}/${c.name}`).sort()).toEqual([
        'Deployment/catalog/catalog',
        'Deployment/catalog/wait-for-migrations',
        'Deployment/transcoder/transcoder',
        'Deployment/transcoder/wait-for-migrations',
        'Deployment/upload/upload',
        'Deployment/upload/wait-for-migrations',
        'Deployment/web/web',
        'Job/lectern-migrate/migrate',
      ]);
    });

    it('sets, in each container, only variables its process reads (ConfigMap keys included), and every required one', () => {
      for (const { doc, c, process } of lecternContainers) {
        const where = `${doc.metadata.name}/${c.name}`;
        const env = environment(c);
        expect({ where, unknown: env.names.filter((n) => !names(process!.schema).has(n)) }).toEqual({ where, unknown: [] });
        expect({ where, missing: required(process!.schema).filter((n) => !env.names.includes(n)) }).toEqual({ where, missing: [] });
        // With the overlay's secrets the whole configuration must be one the process starts with.
        if (env.unresolved.length === 0)
          expect({ where, problems: problems(process!.schema, env.values) }).toEqual({ where, problems: null });
        else expect(secretsPresent).toBe(false);
      }
    });

    it('probes readiness on /health and liveness on /health/live, which stays up while PostgreSQL or Redis is down', () => {
      for (const [name, port] of [
        ['catalog', 3000],
        ['upload', 3001],
      ] as const) {
        const c = container(deployment(name), name) as Loose;
        expect(c.readinessProbe.httpGet.path).toBe('/health');
        expect(c.livenessProbe.httpGet.path).toBe('/health/live');
        expect(c.ports).toContainEqual({ name: 'http', containerPort: port });
        expect(configMapData(configMapNamed(`lectern-${name}`).metadata.name)[`${name.toUpperCase()}_PORT`]).toBe(String(port));
      }
      const web = container(deployment('web'), 'web') as Loose;
      expect(web.livenessProbe.httpGet?.path).not.toBe('/health');
      expect(web.readinessProbe.httpGet?.path).not.toBe('/health');
    });

    it('autoscales the HTTP services and scales the transcoder on its BullMQ lists in Redis', () => {
      for (const name of ['catalog', 'upload', 'web', 'edge']) {
        const hpa = find('HorizontalPodAutoscaler', name)!;
        expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      }
      expect(find('HorizontalPodAutoscaler', 'transcoder')).toBeUndefined();
      const scaled = find('ScaledObject', 'transcoder')!;
      expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
      expect(scaled.spec.scaleTargetRef.name).toBe('transcoder');
      const common = configMapData(configMapNamed('lectern-common').metadata.name);
      const redis = new URL(common.REDIS_URL!);
      const lists = scaled.spec.triggers.map((t: { type: string; metadata: Record<string, string> }) => {
        expect(t.type).toBe('redis');
        expect(t.metadata.address).toBe(`${redis.hostname}:${redis.port || 6379}`);
        return t.metadata.listName;
      });
      expect(lists).toEqual([`${common.QUEUE_PREFIX}:${QUEUES.transcode}:wait`, `${common.QUEUE_PREFIX}:${QUEUES.transcode}:active`]);
    });

    it('sends every process but the migration job through PgBouncer (transaction mode, prepared statements on)', () => {
      const ini = configMapData(configMapNamed('pgbouncer').metadata.name)['pgbouncer.ini']!;
      expect(ini).toMatch(/^pool_mode = transaction$/m);
      expect(Number(/^max_prepared_statements = (\d+)$/m.exec(ini)?.[1])).toBeGreaterThan(0);
      const [, tag] = splitImage(container(deployment('pgbouncer'), 'pgbouncer').image);
      const [major, minor] = /(\d+)\.(\d+)/.exec(tag!)!.slice(1).map(Number) as [number, number];
      expect(major * 100 + minor).toBeGreaterThanOrEqual(121);
      const service = find('Service', 'pgbouncer')!;
      const refs = lecternContainers.map(({ doc, c }) => ({
        where: `${doc.metadata.name}/${c.name}`,
        key: c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.key,
      }));
      for (const ref of refs.filter((r) => !r.where.startsWith('web/'))) {
        expect(ref).toEqual({ where: ref.where, key: ref.where === 'lectern-migrate/migrate' ? 'MIGRATE_DATABASE_URL' : 'DATABASE_URL' });
      }
      const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name.startsWith('lectern-secrets'));
      if (secret) {
        const pooled = new URL(secretValue(secret, 'DATABASE_URL')!);
        expect(`${pooled.hostname}:${pooled.port}`).toBe(`${service.metadata.name}:${service.spec.ports[0].port}`);
        expect(new URL(secretValue(secret, 'MIGRATE_DATABASE_URL')!).hostname).not.toBe('pgbouncer');
      }
    });

    it('runs the migrations once per version, and holds the new version back until they are applied', () => {
      const job = find('Job', 'lectern-migrate')!;
      expect(job.spec.parallelism ?? 1).toBe(1);
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      expect(container(job, 'migrate').command).toEqual(['node', 'dist/apps/catalog/src/cli.js', 'prepare-database']);
      for (const name of ['catalog', 'upload', 'transcoder']) {
        const doc = deployment(name);
        const wait = podSpecOf(doc)!.initContainers.find((c: Container) => c.name === 'wait-for-migrations') as Container;
        expect(wait.command?.join(' ')).toContain('dist/apps/catalog/src/cli.js check-migrations');
        // The same image as the pod's process: it waits for exactly the migrations of its own version.
        expect(wait.image).toBe(container(doc, name).image);
      }
    });

    it('connects Services to pods that exist, on ports the pods name', () => {
      for (const service of docs.filter((d) => d.kind === 'Service')) {
        const target = docs.find(
          (d) =>
            d.kind === 'Deployment' &&
            Object.entries(service.spec.selector as Record<string, string>).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
        );
        expect({ service: service.metadata.name, target: target?.metadata.name }).toEqual({
          service: service.metadata.name,
          target: expect.any(String),
        });
        const ports = containersOf(target!).flatMap((c) => (c.ports ?? []) as { name: string }[]);
        for (const port of service.spec.ports) expect(ports.map((p) => p.name)).toContain(port.targetPort);
      }
    });

    it('points every folder a process writes to at a mounted volume, the root file system being read-only', () => {
      for (const { doc, c, process } of lecternContainers) {
        if (process!.schema === cliSchema) continue;
        const env = environment(c);
        const mounts = ((c.volumeMounts ?? []) as { mountPath: string; readOnly?: boolean }[]).filter((m) => !m.readOnly);
        for (const [name, folder] of writtenFolders(process!.schema, env.values)) {
          const where = `${doc.metadata.name}/${c.name} ${name}=${folder}`;
          expect({ where, mounted: mounts.some((m) => folder === m.mountPath || folder.startsWith(`${m.mountPath}/`)) }).toEqual({
            where,
            mounted: true,
          });
        }
      }
    });

    it('runs every container as a non-root user with a read-only root file system', () => {
      for (const doc of docs.filter((d) => podSpecOf(d))) {
        expect(podSpecOf(doc)!.securityContext.runAsNonRoot).toBe(true);
        for (const c of containersOf(doc) as Loose[]) {
          expect({ c: c.name, sc: c.securityContext }).toMatchObject({
            c: c.name,
            sc: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
          });
        }
      }
    });

    it("gives the edge infra/nginx's configuration, pointing at the Services and the bucket the processes use", () => {
      const conf = configMapData(configMapNamed('lectern-edge').metadata.name)['nginx.conf']!;
      expect(conf).toBe(readFileSync(join(KUBE, 'base/edge/nginx.conf'), 'utf8'));
      const upstream = (name: string) => new RegExp(`upstream ${name} \\{\\s*server ([^;]+);`).exec(conf)?.[1];
      const port = (name: string) => `${name}:${find('Service', name)!.spec.ports[0].port}`;
      expect(upstream('lectern_web')).toBe(port('web'));
      expect(upstream('lectern_catalog')).toBe(port('catalog'));
      const common = configMapData(configMapNamed('lectern-common').metadata.name);
      expect(upstream('lectern_s3')).toBe(new URL(common.S3_ENDPOINT!).host);
      expect(conf).toContain(`proxy_pass http://lectern_s3/${common.S3_BUCKET}/`);
      expect(conf).toMatch(/listen 0\.0\.0\.0:8080;/);
    });
  });
});

describe('the edge configurations rendered from infra/nginx', () => {
  it('are what the template gives today (node infra/docker/render-edge-configs.mjs --check)', () => {
    const result = spawnSync(process.execPath, [join(INFRA, 'docker/render-edge-configs.mjs'), '--check'], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('pass nginx -t with the container names pointed at this machine', async () => {
    const { EDGE_TARGETS, renderTarget } = (await import(join(INFRA, 'docker/render-edge-configs.mjs'))) as {
      EDGE_TARGETS: { file: string; options: Record<string, unknown> }[];
      renderTarget: (target: unknown, overrides: Record<string, unknown>) => string;
    };
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    for (const target of EDGE_TARGETS) {
      const dir = mkdtempSync(join(tmpdir(), 'lectern-edge-check-'));
      try {
        for (const sub of ['logs', 'tmp', 'cache']) mkdirSync(join(dir, sub));
        const conf = renderTarget(target, {
          workDir: dir,
          catalogUrl: 'http://127.0.0.1:3000',
          webUrl: 'http://127.0.0.1:8080',
          s3: { endpoint: 'http://127.0.0.1:9000', bucket: 'lectern' },
        });
        writeFileSync(join(dir, 'nginx.conf'), conf);
        const result = spawnSync('/usr/sbin/nginx', ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], {
          encoding: 'utf8',
        });
        expect({ file: target.file, status: result.status, stderr: result.status ? result.stderr : '' }).toEqual({
          file: target.file,
          status: 0,
          stderr: '',
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe("BullMQ's Redis keys, which the ScaledObject watches", () => {
  it('keeps a waiting transcode job in <prefix>:transcode:wait', async () => {
    const prefix = `lectern-test-${randomBytes(4).toString('hex')}`;
    const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.transcode, { connection, prefix });
    try {
      await queue.add('transcode-asset', { assetId: 'a' }, { jobId: 'a' });
      await queue.add('transcode-asset', { assetId: 'b' }, { jobId: 'b' });
      expect(await connection.llen(`${prefix}:${QUEUES.transcode}:wait`)).toBe(2);
      expect(await connection.llen(`${prefix}:${QUEUES.transcode}:active`)).toBe(0);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});

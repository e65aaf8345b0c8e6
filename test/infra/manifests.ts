// Reading infra/: a small Kustomize resolver (enough for the manifests here, so the checks mean something
// without kubectl), Compose interpolation as docker-compose does it, and the Dockerfile's stages.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** Manifests are read as plain data, whatever their kind. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = Record<string, any>;

export type Doc = {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Loose;

/** Every document of a YAML file; throws on the first syntax error, naming the file. */
export function parseYamlFile(path: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  return docs.map((doc) => doc.toJS()).filter((doc) => doc !== null);
}

/** KEY=VALUE lines, as Kustomize's `envs` and docker-compose's env files read them. */
export function parseEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const at = trimmed.indexOf('=');
    if (at < 1) throw new Error(`${path}: "${line}" is not KEY=VALUE`);
    out[trimmed.slice(0, at)] = trimmed.slice(at + 1);
  }
  return out;
}

interface Generator {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  envs?: string[];
  literals?: string[];
  files?: string[];
}

export interface Built {
  docs: Doc[];
  /** Every file the kustomizations name (resources, envs, files), for the existence check. */
  files: string[];
}

function generated(kind: 'ConfigMap' | 'Secret', dir: string, generator: Generator, files: string[]): Doc {
  const data: Record<string, string> = {};
  for (const env of generator.envs ?? []) {
    files.push(join(dir, env));
    Object.assign(data, parseEnvFile(join(dir, env)));
  }
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf('=');
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  for (const entry of generator.files ?? []) {
    const [key, source] = entry.includes('=') ? entry.split('=', 2) : [entry.split('/').pop()!, entry];
    files.push(join(dir, source!));
    data[key!] = readFileSync(join(dir, source!), 'utf8');
  }
  // Secrets carry their values in stringData here (Kustomize writes base64 `data`; readers handle both).
  return kind === 'ConfigMap'
    ? { apiVersion: 'v1', kind, metadata: { name: generator.name }, data }
    : { apiVersion: 'v1', kind, metadata: { name: generator.name }, type: 'Opaque', stringData: data };
}

/** The documents `kubectl kustomize dir` would give, without name hashes (references stay by plain name). */
export function kustomize(dir: string): Built {
  const file = join(dir, 'kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as {
    resources?: string[];
    configMapGenerator?: Generator[];
    secretGenerator?: Generator[];
    namespace?: string;
    images?: { name: string; newName?: string; newTag?: string }[];
    labels?: { pairs: Record<string, string> }[];
    patches?: unknown[];
  };
  if (k.patches?.length) throw new Error(`${file}: patches are not resolved by this reader; extend it first`);
  const files = [file];
  let docs: Doc[] = [];
  for (const resource of k.resources ?? []) {
    const path = join(dir, resource);
    files.push(path);
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) {
      const inner = kustomize(path);
      docs.push(...inner.docs);
      files.push(...inner.files);
    } else docs.push(...(parseYamlFile(path) as Doc[]));
  }
  for (const [kind, generators] of [
    ['ConfigMap', k.configMapGenerator ?? []],
    ['Secret', k.secretGenerator ?? []],
  ] as const) {
    for (const generator of generators) {
      const made = generated(kind, dir, generator, files);
      const existing = docs.find((d) => d.kind === kind && d.metadata.name === generator.name);
      if (generator.behavior === 'merge' || generator.behavior === 'replace') {
        if (!existing) throw new Error(`${file}: ${kind} ${generator.name} to ${generator.behavior} is not in the resources`);
        const field = kind === 'ConfigMap' ? 'data' : 'stringData';
        existing[field] = generator.behavior === 'merge' ? { ...existing[field], ...made[field] } : made[field];
      } else {
        if (existing) throw new Error(`${file}: ${kind} ${generator.name} is generated twice`);
        docs.push(made);
      }
    }
  }
  for (const pairs of k.labels ?? []) {
    for (const doc of docs) doc.metadata.labels = { ...doc.metadata.labels, ...pairs.pairs };
  }
  if (k.namespace) {
    docs = docs.map((doc) => (doc.kind === 'Namespace' ? doc : { ...doc, metadata: { ...doc.metadata, namespace: k.namespace } }));
  }
  for (const image of k.images ?? []) {
    for (const container of docs.flatMap(containersOf)) {
      const [name, tag] = splitImage(container.image);
      if (name !== image.name) continue;
      container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
    }
  }
  return { docs, files };
}

/** name and tag of an image reference (`registry:5000/a/b:tag`). */
export function splitImage(image: string): [string, string | undefined] {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  [field: string]: unknown;
}

export function podSpecOf(doc: Doc): Loose | undefined {
  if (doc.kind === 'Deployment' || doc.kind === 'Job') return doc.spec?.template?.spec;
  return undefined;
}

export function containersOf(doc: Doc): Container[] {
  const spec = podSpecOf(doc);
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [];
}

/** Replaces ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message} and $$ as docker-compose does. */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name, op, arg, bare) => {
      if (match === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const value = env[name];
      const unset = value === undefined || (op?.startsWith(':') && value === '');
      if (op?.endsWith('?') && unset) throw new Error(`${name} is required: ${arg}`);
      if (op?.endsWith('-') && unset) return arg;
      return value ?? '';
    },
  );
}

export interface Stage {
  name: string;
  from: string;
  lines: string[];
}

/** The Dockerfile's instructions by stage, continuation lines joined. */
export function dockerStages(path: string): { args: Record<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!current && (!line || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) current += `${line.slice(0, -1).trim()} `;
    else {
      logical.push(current + line);
      current = '';
    }
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [instruction, ...rest] = line.split(/\s+/);
    const upper = instruction!.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name, value] = rest.join(' ').split('=', 2);
      args[name!] = value ?? '';
    } else if (upper === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest.join(' '));
      if (!match) throw new Error(`${path}: cannot read "${line}"`);
      const from = match[1]!.replace(/\$\{(\w+)\}/g, (_, name) => args[name] ?? '');
      stages.push({ name: match[2] ?? `stage-${stages.length}`, from, lines: [] });
    } else stages.at(-1)?.lines.push(line);
  }
  return { args, stages };
}

/** The stages a target is built on, itself last. */
export function stageChain(stages: Stage[], target: string): Stage[] {
  const stage = stages.find((s) => s.name === target);
  if (!stage) throw new Error(`no stage ${target}`);
  const parent = stages.find((s) => s.name === stage.from);
  return parent ? [...stageChain(stages, parent.name), stage] : [stage];
}

/** Whether .dockerignore keeps `path` (relative to the build context) out of the context. */
export function dockerIgnored(patterns: string[], path: string): boolean {
  let ignored = false;
  const parts = path.split('/');
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/|\/$/g, '');
    const regex = new RegExp(
      `^${pattern
        .split('**')
        .map((piece) =>
          piece
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('.*')
        // `**/` also matches no folder at all (`**/node_modules` is node_modules at the top too).
        .replace(/^\.\*\//, '(?:.*/)?')
        .replace(/\/\.\*\//g, '/(?:.*/)?')}$`,
    );
    // A pattern matches the path or any folder above it.
    const matches = parts.some((_, i) => regex.test(parts.slice(0, i + 1).join('/')));
    if (matches) ignored = !negate;
  }
  return ignored;
}

export function readDockerignore(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

export const rel = (root: string, path: string) => relative(root, path) || '.';
export const dirOf = dirname;

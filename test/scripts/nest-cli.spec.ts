// nest-cli.json describes the monorepo as it is: every app under apps/ and every library under libs/.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface NestProject {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
  entryFile: string;
  compilerOptions?: { tsConfigPath?: string };
}
interface NestCli {
  monorepo: boolean;
  compilerOptions: { builder: string; webpack: boolean; deleteOutDir: boolean };
  projects: Record<string, NestProject>;
}

const cli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as NestCli;
const folders = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
const names = (type: NestProject['type']) =>
  Object.entries(cli.projects)
    .filter(([, p]) => p.type === type)
    .map(([name]) => name)
    .sort();

describe('nest-cli.json', () => {
  it('is a monorepo built by tsc into the same dist/ layout as npm run build:server, without deleting the other apps', () => {
    expect(cli.monorepo).toBe(true);
    expect(cli.compilerOptions).toMatchObject({ builder: 'tsc', webpack: false, deleteOutDir: false });
  });

  it('lists every app and every library', () => {
    expect(names('application')).toEqual(folders('apps').sort());
    expect(names('library')).toEqual(folders('libs').sort());
  });

  it.each(Object.entries(cli.projects))('%s points at its sources and entry file', (name, project) => {
    const kind = project.type === 'application' ? 'apps' : 'libs';
    expect(project).toMatchObject({ root: `${kind}/${name}`, sourceRoot: `${kind}/${name}/src` });
    expect(existsSync(join(ROOT, project.sourceRoot, `${project.entryFile}.ts`))).toBe(true);
    if (project.type === 'application') {
      const tsconfig = project.compilerOptions?.tsConfigPath;
      expect(tsconfig).toBe(`apps/${name}/tsconfig.app.json`);
      expect(JSON.parse(readFileSync(join(ROOT, tsconfig!), 'utf8'))).toMatchObject({ extends: '../../tsconfig.build.json' });
    }
  });
});

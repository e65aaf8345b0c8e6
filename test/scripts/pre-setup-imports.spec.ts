// npm start, npm test and npm run setup must work on a fresh clone with no node_modules: every script they
// load before set-up has installed the packages may import only Node built-ins and such scripts.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Specifiers of a module's static imports and re-exports (`import … from 'x'`, `import 'x'`, `export … from 'x'`). */
export function staticImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const pattern = /^\s*(?:import|export)\s+(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  return [...code.matchAll(pattern)].map((m) => m[1]!);
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

/** The npm scripts that run set-up, and the script files they start. */
function entryScripts(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return ['start', 'test', 'setup'].map((name) => {
    const match = /^node (scripts\/\S+\.mjs)/.exec(scripts[name] ?? '');
    if (!match) throw new Error(`npm ${name} should run a script under scripts/ directly with node, got "${scripts[name]}"`);
    return join(ROOT, match[1]!);
  });
}

/** Every non-built-in static import reachable from `entries`, as "file: specifier". */
function packagesLoadedBeforeSetUp(entries: string[]): { files: string[]; offending: string[] } {
  const seen = new Set<string>();
  const offending: string[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
      if (isBuiltin(specifier)) continue;
      const local = specifier.startsWith('.') ? resolve(dirname(file), specifier) : null;
      if (local && existsSync(local)) queue.push(local);
      else offending.push(`${relative(ROOT, file)}: ${specifier}`);
    }
  }
  return { files: [...seen].map((f) => relative(ROOT, f)).sort(), offending };
}

describe('scripts run before set-up', () => {
  it('finds static imports and re-exports, and skips comments and dynamic imports', () => {
    const source = [
      "import { a } from 'node:fs';",
      'import b, {',
      '  c,',
      "} from 'pg';",
      "import './side-effect.mjs';",
      "export { d } from './d.mjs';",
      "// import x from 'commented';",
      "const tus = await import('tus-js-client');",
    ].join('\n');
    expect(staticImports(source)).toEqual(['node:fs', 'pg', './side-effect.mjs', './d.mjs']);
  });

  it('npm start, npm test and npm run setup load only Node built-ins until set-up has installed the packages', () => {
    const { files, offending } = packagesLoadedBeforeSetUp(entryScripts());
    expect(files).toEqual(
      expect.arrayContaining(['scripts/start.mjs', 'scripts/test.mjs', 'scripts/setup.mjs', 'scripts/setup-steps.mjs']),
    );
    expect(offending).toEqual([]);
  });
});

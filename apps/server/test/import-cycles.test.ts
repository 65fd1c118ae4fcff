import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/**
 * Relative imports and re-exports of a module, type-only ones included: a cycle of types is
 * still two folders that cannot be understood (or moved) one without the other. Matches
 * `import ... from './x.js'`, `export ... from './x.js'`, `import './x.js'` and
 * `import('./x.js')`; the `.js` of NodeNext specifiers names the `.ts` file.
 */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The import graph of `folder`: module (path relative to it) → the modules it imports. */
export function importGraph(folder: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(folder)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((match) =>
      relative(folder, resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts'))),
    );
    graph.set(relative(folder, file), [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * Every cycle's strongly connected component (Tarjan), each with one cycle through it spelt
 * out, so that the failure names the imports to cut.
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;

  const visit = (module: string) => {
    index.set(module, next);
    lowLink.set(module, next);
    next += 1;
    stack.push(module);
    onStack.add(module);
    for (const target of graph.get(module) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        lowLink.set(module, Math.min(lowLink.get(module)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(module, Math.min(lowLink.get(module)!, index.get(target)!));
      }
    }
    if (lowLink.get(module) !== index.get(module)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== module);
    const selfImport = graph.get(module)?.includes(module) ?? false;
    if (component.length > 1 || selfImport) components.push(component);
  };
  for (const module of [...graph.keys()].sort()) if (!index.has(module)) visit(module);

  return components.map((component) => cycleWithin(graph, new Set(component)));
}

/** One cycle inside a strongly connected component, from its first module back to it. */
function cycleWithin(graph: Map<string, string[]>, component: Set<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const module = queue.shift()!;
    for (const target of graph.get(module) ?? []) {
      if (!component.has(target)) continue;
      if (target === start) {
        const path = [module];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, module);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

const folderOf = (module: string) => module.split('/')[0]!;

/**
 * The graph between folders (contexts: `risk/`, `seed/`, `http/`, ...; a file at the top is its
 * own node): a context that imports another which imports it back cannot be read, tested or
 * moved alone, even when no single file closes the loop. Commands live in `commands/`, which
 * puts contexts together (backtest seeds, scores and reports) and which no context imports.
 */
export function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const folders = new Map<string, Set<string>>();
  for (const [module, targets] of graph) {
    const from = folderOf(module);
    const edges = folders.get(from) ?? new Set<string>();
    folders.set(from, edges);
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges].sort()]));
}

/** "a → b → a", with the files that make each step when the nodes are folders. */
function describeCycle(cycle: string[], files?: Map<string, string[]>): string {
  if (!files) return cycle.join(' → ');
  const steps = cycle.slice(1).map((to, step) => {
    const from = cycle[step]!;
    const imports = [...files]
      .filter(([module]) => folderOf(module) === from && !module.endsWith('.command.ts'))
      .flatMap(([module, targets]) =>
        targets.filter((target) => folderOf(target) === to).map((t) => `${module} → ${t}`),
      );
    return `${from} → ${to}: ${imports.join(', ')}`;
  });
  return steps.join('\n    ');
}

describe('the import graph of apps/server/src', () => {
  it('has no cycle: no module imports one that imports it back', () => {
    const graph = importGraph(SOURCE);
    const cycles = importCycles(graph).map((cycle) => describeCycle(cycle));
    expect(cycles, `import cycles:\n  ${cycles.join('\n  ')}`).toEqual([]);
  });

  it('has no cycle between folders: no context imports one that imports it back', () => {
    const files = importGraph(SOURCE);
    const cycles = importCycles(folderGraph(files)).map((cycle) => describeCycle(cycle, files));
    expect(cycles, `folder import cycles:\n    ${cycles.join('\n\n    ')}`).toEqual([]);
  });

  it('is read from the source (a check over an empty graph would pass anything)', () => {
    const graph = importGraph(SOURCE);
    expect(graph.get('app.ts')).toContain('risk/risk.routes.ts');
    expect(folderGraph(graph).get('risk')).toContain('time');
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['c.ts']],
          ['c.ts', ['a.ts']],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
});

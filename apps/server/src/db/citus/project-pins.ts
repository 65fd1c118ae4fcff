/**
 * Finds reads of distributed tables in a `*.sql.ts` source that no project condition pins: a
 * reference `from|join|update <table> [alias]` needs `<alias>.project_id = <literal or
 * parameter>` somewhere in the file (or, unaliased, `project_id = …`). A reference tied to the
 * project only through another table (`c.project_id = a.project_id`) does not count: Citus
 * cannot always see through it (inside a lateral join with an aggregate, say), and then reads
 * every shard of every project. Query-builder reads (`selectFrom('t')`, `updateTable('t')`,
 * `deleteFrom('t')`) need a `where('project_id'` or `where('t.project_id'`.
 *
 * A static check over the text, deliberately simple: in SQL text, a file that pins an alias once
 * is taken to pin it everywhere; a query-builder chain must pin itself. The Citus lane runs the statements for real.
 */
export function unpinnedReads(source: string, distributedTables: readonly string[]): string[] {
  const tables = new Set(distributedTables);
  const text = source.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const problems: string[] = [];
  const reference =
    /\b(?:from|join|update)\s+(?:only\s+)?([a-z_][a-z0-9_]*)\b(?:\s+(?:as\s+)?([a-z_][a-z0-9_]*))?/gi;
  for (const match of text.matchAll(reference)) {
    const table = match[1]!.toLowerCase();
    if (!tables.has(table)) continue;
    const alias = match[2] && !KEYWORDS.has(match[2].toLowerCase()) ? match[2] : undefined;
    const qualifier = alias ?? table;
    const pinned = new RegExp(
      `(?:\\b${qualifier}\\.|(?<![.\\w])${alias ? '(?!)' : ''})project_id\\s*=\\s*(?:\\$\\{|\\$\\d|')`,
      'i',
    );
    if (!pinned.test(text)) problems.push(`${table}${alias ? ` ${alias}` : ''}`);
  }
  const builder = /\b(?:selectFrom|updateTable|deleteFrom)\(\s*'([a-z_]+)(?:\s+as\s+(\w+))?'/g;
  for (const match of text.matchAll(builder)) {
    const table = match[1]!;
    if (!tables.has(table)) continue;
    const qualifier = match[2] ?? table;
    // The builder chain up to its execution: the condition must be in this statement.
    const end = text.indexOf('.execute', match.index);
    const chain = text.slice(match.index, end === -1 ? undefined : end);
    const pinned = new RegExp(`where\\(\\s*'(?:${qualifier}\\.)?project_id'\\s*,\\s*'='`);
    if (!pinned.test(chain)) problems.push(`${table} (query builder)`);
  }
  return problems;
}

/** Words that may follow a table name but are not its alias. */
const KEYWORDS = new Set([
  'where',
  'on',
  'using',
  'left',
  'right',
  'inner',
  'full',
  'cross',
  'join',
  'natural',
  'group',
  'order',
  'limit',
  'offset',
  'union',
  'returning',
  'set',
  'lateral',
  'window',
  'having',
  'except',
  'intersect',
  'for',
  'tablesample',
  'fetch',
]);

/**
 * The fields of a row in Postgres's text form of a record (`record_out`, what `row::text`
 * gives): `(a,"b, c",,"")` is `['a', 'b, c', null, '']`. An empty field is null; a quoted one
 * is a string, with `""` and a backslash-escaped character inside the quotes read as the
 * character. Each field is its column type's own text, which the column's input reads back
 * exactly (numerics, timestamps, jsonb).
 */
export function recordFields(text: string): (string | null)[] {
  if (text[0] !== '(' || text[text.length - 1] !== ')') {
    throw new Error(`not the text of a record: ${text.slice(0, 40)}`);
  }
  const fields: (string | null)[] = [];
  const end = text.length - 1;
  let i = 1;
  for (;;) {
    let field: string | null = null;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= end) throw new Error(`unterminated field in a record: ${text.slice(0, 40)}`);
        const c = text[i]!;
        if (c === '\\') {
          value += text[i + 1];
          i += 2;
        } else if (c === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (c === '"') {
          i += 1;
          break;
        } else {
          value += c;
          i += 1;
        }
      }
      field = value;
    } else {
      const next = text.indexOf(',', i);
      const stop = next === -1 || next > end ? end : next;
      if (stop > i) field = text.slice(i, stop);
      i = stop;
    }
    fields.push(field);
    if (i >= end) return fields;
    i += 1; // the comma
  }
}

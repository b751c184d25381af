/**
 * jsonb cannot hold U+0000 or a lone UTF-16 surrogate: PostgreSQL rejects the whole INSERT
 * ("unsupported Unicode escape sequence"). JSON.stringify writes exactly those characters as
 * `\u0000` and `\udXXX` escapes (a valid surrogate pair it writes as is), so the store
 * escapes the backslash of such an escape: the text keeps its meaning for a reader and
 * reads back as the six characters `\u0000`, never as a batch failure.
 */
const UNSTORABLE = /(?<!\\)((?:\\\\)*)\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

/** The JSON text of a record with the escapes jsonb refuses made literal (see above). */
export function storableJson(json: string): string {
  // Fast path: the escapes only occur in a text that has a backslash-u in it.
  if (!json.includes("\\u")) return json;
  return json.replace(UNSTORABLE, (_match, backslashes: string, code: string) => `${backslashes}\\\\u${code}`);
}

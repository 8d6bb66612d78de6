/**
 * Parsing of the `Cookie` header, shared by every HTTP-based adapter.
 * @module
 */

/**
 * Parses a `Cookie` header into a null-prototype record (a cookie named
 * `__proto__` is a plain entry). Values are percent-decoded when they can
 * be; the first occurrence of a name wins.
 */
export function parseCookies(header: string | null | undefined): Record<string, string> {
  const cookies = Object.create(null) as Record<string, string>;
  if (header === undefined || header === null) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || Object.hasOwn(cookies, name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/**
 * Values that are meant to be substituted before apply: `${VAR}`, `$(VAR)`, `__VAR__`,
 * `<your-port>`, or a bare UPPER_CASE word where a number or name belongs. Checks cannot
 * evaluate them and must not call them wrong.
 */
const PLACEHOLDER = /\$\{[^}]*\}|\$\([^)]*\)|__[A-Za-z0-9_]+__|<[^<>]+>|^[A-Z][A-Z0-9_]*$/;

export function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && PLACEHOLDER.test(v);
}

/** Whether a file's text is JSON (a BOM allowed), so fixes can be held to keeping it JSON. */
export function isJson(s: string): boolean {
  try {
    JSON.parse(s.replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

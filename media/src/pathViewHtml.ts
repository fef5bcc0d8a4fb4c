/**
 * The traffic path webview's HTML shell, shared by the VS Code panel and the browser test so
 * both load the same page under the same Content-Security-Policy: no inline script, scripts
 * only with the per-load nonce from the extension's own resources, no eval, no remote content.
 */
export interface PathViewHtmlOptions {
  /** `webview.cspSource` (VS Code) or the origin serving the test page. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function pathViewHtml(o: PathViewHtmlOptions): string {
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource}`,
    `img-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Traffic path</title>
</head>
<body>
<main id="root" aria-live="polite"><p class="waiting">Tracing…</p></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

/** A nonce from a CSPRNG (crypto.getRandomValues exists in Node 20 and browsers). */
export function makeNonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

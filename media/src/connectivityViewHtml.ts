/**
 * The connectivity webview's HTML shell, shared by the VS Code panel and the browser test: the
 * same Content-Security-Policy as the traffic path (no inline script, only the extension's own
 * script with the per-load nonce, no eval, no remote content).
 */
export { makeNonce } from './pathViewHtml';

export interface ConnectivityViewHtmlOptions {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function connectivityViewHtml(o: ConnectivityViewHtmlOptions): string {
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
<title>Connectivity</title>
</head>
<body>
<main id="root" aria-live="polite"><p class="waiting">Computing connectivity…</p></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

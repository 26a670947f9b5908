import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { TokenClaims } from '../auth/roles.js';

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV: Array<[href: string, label: string]> = [
  ['/ui', 'Timeline'],
  ['/ui/pipelines', 'Pipelines'],
  ['/ui/metrics', 'Delivery'],
  ['/ui/operations', 'Operations'],
  ['/docs', 'API docs'],
];

/** The page shell: navigation, who is signed in, and the page's own script (if any). */
export function page(title: string, claims: TokenClaims | null, body: Content, script?: string): Content {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · agent-ledger</title>
<link rel="stylesheet" href="/ui/assets/console.css">
</head>
<body data-role="${claims?.role ?? ''}">
<header>
  <a class="brand" href="/ui">agent-ledger</a>
  ${claims
    ? html`<nav>${NAV.map(([href, label]) => html`<a href="${href}">${label}</a>`)}</nav>
      <form method="post" action="/ui/sign-out" class="who"><span id="who">${claims.sub} · ${claims.role}</span> <button type="submit">Sign out</button></form>`
    : ''}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
<script src="/ui/assets/common.js"></script>
${script ? raw(`<script src="/ui/assets/${script}"></script>`) : ''}
</body>
</html>`;
}

/** A problem answered by the API, shown in the page. */
export function problemBox(body: { title?: string; detail?: string; status?: number } | null): Content {
  return html`<div class="problem" role="alert"><strong>${body?.status ?? ''} ${body?.title ?? 'error'}</strong> ${body?.detail ?? ''}</div>`;
}

/** Pretty JSON in a <pre>. */
export function jsonBlock(value: unknown, id?: string): Content {
  return html`<pre class="json"${id ? raw(` id="${id}"`) : ''}>${JSON.stringify(value, null, 2)}</pre>`;
}

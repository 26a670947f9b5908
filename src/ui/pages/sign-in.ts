import { html } from 'hono/html';
import { page, problemBox } from '../layout.js';

/** Paste a token; on the embedded default also a local sign-in that mints one. */
export function signInPage(options: { localSignIn: boolean; error?: string }) {
  return page(
    'Sign in',
    null,
    html`${options.error ? problemBox({ status: 401, title: 'not signed in', detail: options.error }) : ''}
<section class="card">
  <h2>With a token</h2>
  <form method="post" action="/ui/sign-in" id="token-sign-in">
    <label>Bearer token <textarea name="token" rows="3" required placeholder="npm run token -- --sub alice --role engineer"></textarea></label>
    <button type="submit">Sign in</button>
  </form>
</section>
${options.localSignIn
  ? html`<section class="card">
  <h2>Local sign-in</h2>
  <p class="hint">This server runs on the embedded default with a generated secret and listens on this machine only, so it can mint a token for you.</p>
  <form method="post" action="/ui/sign-in/local" id="local-sign-in">
    <label>Subject <input name="sub" required maxlength="200" value="alice"></label>
    <label>Role <select name="role"><option>viewer</option><option selected>engineer</option><option>admin</option></select></label>
    <button type="submit">Sign in locally</button>
  </form>
</section>`
  : ''}`,
  );
}

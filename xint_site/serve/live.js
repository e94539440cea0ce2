/* xint-site serve: reload this page after a rebuild, show build errors over it.
 *
 * Injected by the preview server only (never written to the output folder).
 * The page keeps its scroll position across reloads (sessionStorage); the chosen
 * framework survives by itself (the theme's tabs.js keeps it in localStorage).
 */
(() => {
  "use strict";

  const me = document.currentScript;
  const file = me.dataset.file;
  let version = Number(me.dataset.version);
  let stale = false; // a build happened that this page has not shown yet
  const scrollKey = `xint-serve:scroll:${location.pathname}`;

  function restoreScroll() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(scrollKey));
      sessionStorage.removeItem(scrollKey);
    } catch {
      return;
    }
    if (!saved) return;
    const restore = () => window.scrollTo(saved.x, saved.y);
    restore();
    document.addEventListener("DOMContentLoaded", restore, { once: true });
    window.addEventListener("load", restore, { once: true });
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: scrollX, y: scrollY }));
    } catch {
      /* storage disabled: reload anyway */
    }
    location.reload();
  }

  /** Does a build that wrote these files change what this page shows? */
  function touches(written) {
    return written === null || written.some((f) => f === file || !f.endsWith(".html"));
  }

  // The overlay lives in a shadow root: the theme's CSS cannot reach it, nor it the page.
  let overlay = null;
  let badge = null;
  let badgeTimer = 0;

  function host() {
    if (overlay) return overlay;
    const el = document.createElement("div");
    el.id = "xint-serve";
    const root = el.attachShadow({ mode: "open" });
    root.innerHTML = `<style>
      .overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto;
        background: rgba(20, 20, 20, .88); color: #f4f4f4; padding: 2rem;
        font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      .overlay[hidden], .badge[hidden] { display: none; }
      h2 { margin: 0 0 .25rem; font-size: 1.2rem; color: #ff8f8f; }
      p { margin: 0 0 1rem; color: #ccc; }
      pre { white-space: pre-wrap; margin: 0 0 1rem; padding: .75rem 1rem;
        background: #2b1b1b; border-left: 4px solid #ff6b6b; }
      button { position: absolute; top: 1rem; right: 1rem; font: inherit; cursor: pointer; }
      .badge { position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483647;
        padding: .25rem .75rem; border-radius: 1rem; background: #333; color: #fff;
        font: 13px/1.5 system-ui, sans-serif; }
    </style>
    <div class="overlay" role="alertdialog" aria-labelledby="title" hidden>
      <button type="button" aria-label="Hide">Hide</button>
      <h2 id="title">Build failed</h2>
      <p>The page shows the last good build. Fix the problem and save: it clears by itself.</p>
      <div class="errors"></div>
    </div>
    <div class="badge" role="status" hidden>Rebuilding…</div>`;
    root.querySelector("button").addEventListener("click", () => {
      root.querySelector(".overlay").hidden = true;
    });
    badge = root.querySelector(".badge");
    document.body.append(el);
    overlay = root;
    return root;
  }

  function showErrors(errors) {
    const root = host();
    const list = root.querySelector(".errors");
    list.replaceChildren(
      ...errors.map((text) => {
        const pre = document.createElement("pre");
        pre.textContent = text; // never innerHTML: messages quote the author's input
        return pre;
      }),
    );
    root.querySelector(".overlay").hidden = false;
  }

  function hideErrors() {
    if (overlay) overlay.querySelector(".overlay").hidden = true;
  }

  function building(on) {
    clearTimeout(badgeTimer);
    if (on) {
      // only a slow rebuild (one running cells) is worth a badge; a prose edit is done first
      badgeTimer = setTimeout(() => {
        host();
        badge.hidden = false;
      }, 300);
    } else if (badge) {
      badge.hidden = true;
    }
  }

  restoreScroll();
  const events = new EventSource(me.dataset.events);
  events.addEventListener("hello", (e) => {
    const state = JSON.parse(e.data);
    building(state.building);
    stale ||= state.version !== version;
    if (state.errors.length) {
      showErrors(state.errors);
    } else if (stale) {
      reload();
    } else {
      hideErrors();
    }
  });
  events.addEventListener("building", () => building(true));
  events.addEventListener("idle", () => building(false));
  events.addEventListener("reload", (e) => {
    const build = JSON.parse(e.data);
    building(false);
    hideErrors();
    if (stale || touches(build.written)) {
      events.close();
      reload();
    }
    version = build.version;
  });
  events.addEventListener("failed", (e) => {
    building(false);
    showErrors(JSON.parse(e.data).errors);
  });
  addEventListener("pagehide", () => events.close());
})();

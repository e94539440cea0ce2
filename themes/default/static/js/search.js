/* Site search: the header's box asks the Pagefind index written at build time.
 *
 * The index, pagefind.js and its WebAssembly are in the site's own pagefind/
 * folder (data-bundle); nothing comes from another host. Each page has a record
 * for its prose and one per framework for that framework's code and outputs, so a
 * hit says which frameworks' code holds it, and the reader's chosen framework
 * (the one tabs.js stores) ranks first. "/" focuses the box; Escape closes it.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const config = JSON.parse(document.getElementById("xint-site").textContent);
  const strings = config.strings;
  const labels = new Map(config.frameworks.map((f) => [f.id, f.label]));
  const form = document.querySelector(".site-search");
  const input = document.getElementById("xint-search");
  const panel = document.getElementById("xint-search-results");
  if (!form || !input || !panel || !script) return;
  const bundle = script.dataset.bundle;
  const root = new URL(bundle, location.href).pathname.replace(/pagefind\/$/, "");
  let engine = null;
  let shown = ""; // the term whose results are on screen

  function chosen() {
    try {
      return localStorage.getItem(`${config.key}:framework`);
    } catch {
      return null;
    }
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }

  async function load() {
    if (!engine) {
      engine = import(`${bundle}pagefind.js`).then(async (pagefind) => {
        await pagefind.options({ baseUrl: root, excerptLength: 24 });
        await pagefind.init();
        return pagefind;
      });
      engine.catch(() => {
        engine = null; // try again with the next key
      });
    }
    return engine;
  }

  /** Page records and framework records of one URL become one hit. */
  function group(records) {
    const hits = new Map();
    for (const record of records) {
      const own = record.meta.url; // a framework record names its page, from the site root
      const url = (own ? root + own.replace(/^\//, "") : record.url).split(/[?#]/)[0];
      let hit = hits.get(url);
      if (!hit) {
        hit = { url, title: "", section: "", anchor: "", excerpt: "", codeExcerpt: "", frameworks: [] };
        hits.set(url, hit);
      }
      const framework = record.meta.framework;
      hit.title ||= record.meta.title || url;
      if (framework) {
        if (!hit.frameworks.includes(framework)) hit.frameworks.push(framework);
        hit.codeExcerpt ||= record.excerpt;
      } else {
        hit.title = record.meta.title || hit.title;
        hit.excerpt = record.excerpt;
        const best = section(record);
        if (best) {
          hit.section = best.title;
          hit.anchor = best.url.slice(best.url.indexOf("#"));
          hit.excerpt = best.excerpt;
        }
      }
    }
    return [...hits.values()];
  }

  /** The section (a heading with an id) holding most of the page's matches, if any. */
  function section(record) {
    let best = null;
    for (const sub of record.sub_results || []) {
      if (!sub.url.includes("#")) continue;
      if (!best || sub.locations.length > best.locations.length) best = sub;
    }
    return best;
  }

  /** The chosen framework's hits first, each group in Pagefind's order. */
  function rank(hits, framework) {
    if (!framework) return hits;
    const first = hits.filter((h) => h.frameworks.includes(framework));
    return [...first, ...hits.filter((h) => !h.frameworks.includes(framework))];
  }

  function link(hit, framework) {
    let target = null;
    if (hit.frameworks.includes(framework)) target = framework;
    else if (hit.frameworks.length && !hit.excerpt) target = hit.frameworks[0];
    const query = target ? `?framework=${encodeURIComponent(target)}` : "";
    return hit.url + query + hit.anchor;
  }

  function render(term, hits, framework) {
    const summary = document.createElement("p");
    summary.className = "search-summary";
    const count = hits.length;
    const text = !count
      ? strings.search_no_results
      : count === 1
        ? strings.search_one_result
        : strings.search_results;
    summary.textContent = fill(text, { term, count });
    const list = document.createElement("ol");
    list.className = "search-hits";
    for (const hit of hits) {
      const item = document.createElement("li");
      item.className = "search-hit";
      item.dataset.frameworks = hit.frameworks.join(" ");
      const a = document.createElement("a");
      a.href = link(hit, framework);
      a.className = "search-hit-title";
      a.textContent = hit.section ? `${hit.title} › ${hit.section}` : hit.title;
      const excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerpt.innerHTML = hit.excerpt || hit.codeExcerpt; // Pagefind's escaped text and <mark>
      item.append(a, excerpt);
      if (hit.frameworks.length) {
        const names = hit.frameworks.map((f) => labels.get(f) || f);
        const code = document.createElement("p");
        code.className = "search-frameworks";
        code.textContent = fill(strings.search_in_code, { frameworks: names.join(", ") });
        item.append(code);
      }
      list.append(item);
    }
    panel.replaceChildren(summary, ...(count ? [list] : []));
    open(true);
  }

  function open(yes) {
    panel.hidden = !yes;
  }

  /** Pagefind's records for `term`; null when a newer search replaced this one. */
  async function query(term) {
    const pagefind = await load();
    const found = await pagefind.debouncedSearch(term, {}, 120);
    if (found === null) return null;
    return Promise.all(found.results.slice(0, 40).map((r) => r.data()));
  }

  async function search() {
    const term = input.value.trim();
    if (!term) {
      shown = "";
      panel.replaceChildren();
      open(false);
      return;
    }
    let records;
    try {
      records = await query(term);
    } catch {
      try {
        records = await query(term); // once more: a file of the index may have been cut off
      } catch {
        const failed = document.createElement("p");
        failed.className = "search-summary";
        failed.textContent = strings.search_failed;
        panel.replaceChildren(failed);
        open(true);
        return;
      }
    }
    if (records === null || term !== input.value.trim()) return; // a newer search is on its way
    const framework = chosen();
    shown = term;
    render(term, rank(group(records), framework), framework);
    panel.dataset.term = term;
  }


  input.addEventListener("input", search);
  input.addEventListener("focus", () => {
    if (shown && input.value.trim() === shown) open(true);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    panel.querySelector(".search-hit-title")?.click();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      open(false);
      input.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (!form.contains(event.target)) open(false);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest?.("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  form.hidden = false;
})();

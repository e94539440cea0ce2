/* Framework tabs: a reader picks a framework once and the whole site follows.
 *
 * Progressive enhancement of the W3 structure rendered at build time (per tab a
 * radio input, a label and a .tab-content, inside .tab-set). Without this script
 * every tab set still switches by itself with CSS. With it:
 *   - tab sets sync by framework (data-framework), never by position; a set
 *     lacking the framework says so and keeps its own tab;
 *   - the choice persists in localStorage under a key scoped to the site, and
 *     ?framework=<id> selects it; a #link into a tab opens that tab;
 *   - labels become ARIA tabs in a tablist (arrow keys, Home/End);
 *   - the tab the reader clicked stays put on screen when sets above it change
 *     height.
 */
(() => {
  "use strict";

  const config = JSON.parse(document.getElementById("xint-site").textContent);
  const storeKey = `${config.key}:framework`;
  const frameworkLabels = new Map(config.frameworks.map((f) => [f.id, f.label]));
  const frameworkNames = new Map( // every name that selects a framework: id, label, aliases
    config.frameworks.flatMap((f) =>
      [f.id, f.label, ...(f.aliases || [])].map((n) => [n.toLowerCase(), f.id]),
    ),
  );
  const picker = document.getElementById("xint-framework");
  const tabSets = [];
  const tabOf = new Map(); // input, label or panel -> its tab

  function stored() {
    try {
      return localStorage.getItem(storeKey);
    } catch {
      return null; // storage disabled: nothing persists, tabs still sync
    }
  }

  function store(framework) {
    try {
      localStorage.setItem(storeKey, framework);
    } catch {
      /* ignore: see stored() */
    }
  }

  /** A framework id from a URL value: an id, a label or an alias, any case. */
  function resolve(name) {
    return (name && frameworkNames.get(name.trim().toLowerCase())) || null;
  }

  /** Turn one rendered .tab-set into ARIA tabs; returns its state. */
  function enhance(el) {
    const inputs = [...el.children].filter((c) => c.matches("input[type=radio]"));
    const tabs = inputs.map((input) => {
      const label = el.querySelector(`:scope > label[for="${CSS.escape(input.id)}"]`);
      return { input, label, panel: label && label.nextElementSibling };
    });
    if (!tabs.length || tabs.some((t) => !t.label || !t.panel?.matches(".tab-content"))) {
      return null; // not the structure we render: leave it to CSS
    }
    const bar = document.createElement("div");
    bar.className = "tab-bar";
    const list = document.createElement("div");
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    const note = document.createElement("p");
    note.className = "tab-missing";
    note.hidden = true;
    const set = { el, tabs, note, hasFrameworks: false };
    for (const tab of tabs) {
      tab.set = set;
      tab.framework = tab.input.dataset.framework || null;
      set.hasFrameworks ||= Boolean(tab.framework);
      tab.input.hidden = true; // the label is the control now; it still checks the input
      tab.label.setAttribute("role", "tab");
      tab.label.setAttribute("aria-controls", tab.panel.id);
      tab.panel.setAttribute("role", "tabpanel");
      tab.panel.setAttribute("aria-labelledby", tab.label.id);
      tab.panel.tabIndex = 0;
      list.append(tab.label);
      for (const part of [tab.input, tab.label, tab.panel]) tabOf.set(part, tab);
    }
    if (set.hasFrameworks) list.setAttribute("aria-label", config.strings.framework);
    bar.append(list, note);
    el.prepend(bar);
    // A label click clicks its radio, checked by then, even when it already was:
    // clicking the shown tab of a set that lacks the site's framework picks it.
    // (A nested set's radio clicks bubble up here too: they are not ours.)
    el.addEventListener("click", (event) => {
      const tab = tabOf.get(event.target);
      if (tab?.set === set && event.target === tab.input) pick(tab, tab.label);
    });
    list.addEventListener("keydown", (event) => onKey(set, event));
    refresh(set);
    return set;
  }

  /** aria-selected and the roving tabindex follow the checked radio. */
  function refresh(set) {
    for (const { input, label } of set.tabs) {
      label.setAttribute("aria-selected", String(input.checked));
      label.tabIndex = input.checked ? 0 : -1;
    }
  }

  const KEYS = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };

  function onKey(set, event) {
    const index = set.tabs.findIndex((t) => t.label === event.target);
    if (index < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const n = set.tabs.length;
    let next;
    if (event.key === "Enter" || event.key === " ") next = index;
    else if (KEYS[event.key] === "first") next = 0;
    else if (KEYS[event.key] === "last") next = n - 1;
    else if (KEYS[event.key]) next = (index + KEYS[event.key] + n) % n;
    else return;
    event.preventDefault();
    const tab = set.tabs[next];
    tab.label.focus({ preventScroll: true });
    tab.input.checked = true;
    pick(tab, tab.label);
  }

  /** The reader chose this tab: sync its framework everywhere, or just this set. */
  function pick(tab, anchor) {
    if (tab.framework) choose(tab.framework, { anchor, persist: true });
    else refresh(tab.set);
  }

  /** Show `framework` in every tab set; keep `anchor` where it is on screen. */
  function choose(framework, { anchor = null, persist = false } = {}) {
    const before = anchor?.getBoundingClientRect().top;
    for (const set of tabSets) show(set, framework);
    if (anchor) {
      const shift = anchor.getBoundingClientRect().top - before;
      if (Math.abs(shift) >= 0.5) window.scrollBy({ top: shift, behavior: "instant" });
    }
    if (persist) {
      store(framework);
      updateUrl(framework);
    }
    if (picker) picker.value = framework;
    document.documentElement.dataset.framework = framework; // for other scripts
    document.dispatchEvent(new CustomEvent("xint:framework", { detail: { framework } }));
  }

  function show(set, framework) {
    const tab = set.tabs.find((t) => t.framework === framework);
    if (tab) tab.input.checked = true;
    const missing = set.hasFrameworks && !tab;
    set.note.hidden = !missing;
    set.note.textContent = missing
      ? config.strings.not_available_in.replace(
          "{framework}",
          frameworkLabels.get(framework) || framework,
        )
      : "";
    refresh(set);
  }

  /** Keep a shared ?framework= link true to what the reader now sees. */
  function updateUrl(framework) {
    const url = new URL(location.href);
    if (!url.searchParams.has("framework")) return;
    url.searchParams.set("framework", framework);
    history.replaceState(history.state, "", url);
  }

  /** A #link to an element inside a tab (or to a tab) opens that tab; returns the
   * element when a tab had to open for it, else null. */
  function openTarget(hash) {
    let id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return null;
    }
    const target = id && document.getElementById(id);
    let opened = false;
    for (let el = target; el; el = el.parentElement) {
      const tab = tabOf.get(el);
      if (tab && !tab.input.checked) {
        tab.input.checked = true;
        refresh(tab.set);
        opened = true;
      }
    }
    return opened ? target : null;
  }

  for (const el of document.querySelectorAll(".tab-set")) {
    const set = enhance(el);
    if (set) tabSets.push(set);
  }
  const fromUrl = resolve(new URLSearchParams(location.search).get("framework"));
  const chosen = fromUrl || resolve(stored());
  if (chosen) choose(chosen, { persist: Boolean(fromUrl) });
  openTarget(location.hash)?.scrollIntoView(); // the browser could not scroll to it hidden
  window.addEventListener("hashchange", () => openTarget(location.hash)?.scrollIntoView());
  // A link to the current #hash fires no hashchange: open its tab before the browser scrolls.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href*='#']");
    if (link && link.origin === location.origin && link.pathname === location.pathname) {
      openTarget(link.hash);
    }
  });

  if (picker) {
    if (!chosen && config.frameworks.length) picker.value = config.frameworks[0].id;
    picker.addEventListener("change", () => choose(picker.value, { persist: true }));
    const wrapper = picker.closest(".framework-picker") || picker;
    wrapper.hidden = false;
  }
})();

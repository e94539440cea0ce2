/* Dark mode: follows the system setting until the reader flips the toggle.
 *
 * The choice is stored only while it differs from the system setting, so
 * flipping back returns the page to following the system. The <head> applies
 * the stored choice before the first paint; this script wires the button and
 * prints in light colours whatever the screen shows.
 */
(() => {
  "use strict";

  const config = JSON.parse(document.getElementById("xint-site").textContent);
  const storeKey = `${config.key}:theme`;
  const root = document.documentElement;
  const system = window.matchMedia("(prefers-color-scheme: dark)");
  const button = document.getElementById("xint-theme");

  const current = () => root.dataset.theme || (system.matches ? "dark" : "light");

  function apply(theme) {
    const followSystem = theme === (system.matches ? "dark" : "light");
    try {
      if (followSystem) localStorage.removeItem(storeKey);
      else localStorage.setItem(storeKey, theme);
    } catch {
      /* storage disabled: the choice lasts for this page only */
    }
    if (followSystem) delete root.dataset.theme;
    else root.dataset.theme = theme;
    sync();
  }

  function sync() {
    if (button) button.setAttribute("aria-pressed", String(current() === "dark"));
  }

  if (button) {
    button.addEventListener("click", () => apply(current() === "dark" ? "light" : "dark"));
    button.hidden = false;
  }
  system.addEventListener("change", sync);
  sync();

  let screenTheme;
  window.addEventListener("beforeprint", () => {
    screenTheme = root.dataset.theme;
    root.dataset.theme = "light";
  });
  window.addEventListener("afterprint", () => {
    if (screenTheme) root.dataset.theme = screenTheme;
    else delete root.dataset.theme;
  });
})();

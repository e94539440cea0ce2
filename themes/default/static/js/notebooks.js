/* "Download notebook" follows the reader's framework: of the page's per-framework
 * links (all shown without JavaScript) only the chosen framework's stays, named
 * "Download notebook (PyTorch)". The choice comes from js/tabs.js, which marks it on
 * <html data-framework> and announces each change as an "xint:framework" event; a
 * page without that framework's notebook offers its first one. */
(() => {
  const box = document.querySelector(".notebook-download");
  const links = box ? [...box.querySelectorAll("a[data-framework]")] : [];
  if (links.length === 0) return;
  const config = JSON.parse(document.getElementById("xint-site").textContent);
  const text = config.strings.download_notebook || "Download notebook";

  function follow(framework) {
    const chosen = links.find((a) => a.dataset.framework === framework) || links[0];
    for (const a of links) {
      a.hidden = a !== chosen;
      a.textContent = a === chosen ? `${text} (${a.dataset.label})` : a.dataset.label;
    }
  }

  box.classList.add("follows-framework");
  follow(document.documentElement.dataset.framework);
  document.addEventListener("xint:framework", (event) => follow(event.detail.framework));
})();

/* "On this page": open beside the text on wide screens, folded on narrow ones, and the
 * section being read marked (aria-current) as the reader scrolls. The list itself is
 * plain links and works without this script. */
(() => {
  const toc = document.querySelector(".page-toc");
  if (!toc) return;
  const fold = toc.querySelector("details");
  const target = (a) => {
    try {
      return document.getElementById(decodeURIComponent(a.hash.slice(1)));
    } catch {
      return null;
    }
  };
  const entries = [...toc.querySelectorAll("a[href^='#']")]
    .map((a) => ({ link: a, heading: target(a) }))
    .filter((e) => e.heading);
  const headings = entries.map((e) => e.heading);
  if (headings.length === 0) return;
  // Beside the text (xint.css makes it sticky where there is room) it is open; above
  // the text, folded.
  const beside = () => getComputedStyle(toc).position === "sticky";
  let wasBeside = null;
  const fit = () => {
    if (beside() !== wasBeside) fold.open = wasBeside = beside();
  };
  fit();
  window.addEventListener("resize", fit);
  // a link followed from the folded list closes it, so the section shows
  toc.addEventListener("click", (event) => {
    if (!beside() && event.target.closest("a")) fold.open = false;
  });

  /** The section being read: the last heading above the top third of the window, or
   * the last one when the page is scrolled to its end. */
  function current() {
    const line = window.innerHeight / 3;
    const atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    if (atEnd) return headings[headings.length - 1];
    let found = null;
    for (const h of headings) {
      if (h.getBoundingClientRect().top <= line) found = h;
      else break;
    }
    return found;
  }

  function mark() {
    const heading = current();
    for (const { link, heading: h } of entries) {
      if (h === heading) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  }

  // Headings crossing the top third (and the page's end coming into view) move the mark.
  const observer = new IntersectionObserver(mark, { rootMargin: "0px 0px -66% 0px" });
  for (const h of headings) observer.observe(h);
  const end = document.querySelector(".site-footer");
  if (end) new IntersectionObserver(mark).observe(end);
  mark();
})();

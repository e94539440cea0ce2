/* A copy button on every code block: copies the code, never a prompt or output.
 *
 * Outputs are sibling <output> elements, so only <pre><code> is read. In a
 * console transcript (lines starting ">>> ", "$ " or "In [1]: ") only the
 * prompted lines are copied, without their prompts, as sphinx-copybutton does.
 */
(() => {
  "use strict";

  const strings = JSON.parse(document.getElementById("xint-site").textContent).strings;
  const PROMPT = /^(>>> |\$ |In \[\d*\]: )/;
  const CONTINUATION = /^(\.\.\.(?: |$)| +\.\.\.: ?)/;

  function codeText(code) {
    const lines = code.textContent.replace(/\n$/, "").split("\n");
    if (!lines.some((line) => PROMPT.test(line))) return lines.join("\n");
    return lines
      .filter((line) => PROMPT.test(line) || CONTINUATION.test(line))
      .map((line) => line.replace(PROMPT, "").replace(CONTINUATION, ""))
      .join("\n");
  }

  async function write(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No async clipboard (plain http on another host): copy a selection.
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (!ok) throw new Error("copy failed");
    }
  }

  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.append(status);

  for (const block of document.querySelectorAll(".highlight")) {
    const code = block.querySelector(":scope > pre > code");
    if (!code) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = strings.copy;
    button.addEventListener("click", async () => {
      let message = strings.copied;
      try {
        await write(codeText(code));
      } catch {
        message = strings.copy_failed;
      }
      button.textContent = message;
      status.textContent = message === strings.copied ? strings.code_copied : message;
      clearTimeout(button.timer);
      button.timer = setTimeout(() => {
        button.textContent = strings.copy;
        status.textContent = "";
      }, 1600);
    });
    block.append(button);
  }
})();

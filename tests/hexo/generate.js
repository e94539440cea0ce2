// `hexo generate` for several blogs in one Node process: what hexo-cli does for one
// (`new Hexo(folder, args)`, `init()`, `call("generate")`, `exit()`), once per folder,
// each with a Hexo of its own. Loading Hexo and its plugins' modules is most of a
// run's time, and Node keeps them loaded between blogs.
//
// Usage: node generate.js FOLDER[:draft]...; prints "FOLDER files generated" per blog
// and exits with status 1 at the first blog that fails.
"use strict";
const path = require("path");

async function generate(folder, draft) {
  const Hexo = require(require.resolve("hexo", { paths: [folder] }));
  const args = { _: [], silent: true, ...(draft ? { draft: true } : {}) };
  const hexo = new Hexo(folder, args);
  await hexo.init();
  try {
    await hexo.call("generate", args);
  } finally {
    await hexo.exit();
  }
}

(async () => {
  for (const arg of process.argv.slice(2)) {
    const draft = arg.endsWith(":draft");
    const folder = path.resolve(draft ? arg.slice(0, -":draft".length) : arg);
    await generate(folder, draft);
    console.log(`${folder} files generated`);
  }
})().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});

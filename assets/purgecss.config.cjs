// PurgeCSS over KERN UX: keeps the rules whose classes and elements the app's pages can show.
// Class names built in templates (`kern-alert--{{ tone }}`, `kern-btn--{{ ... }}`) cannot be
// read from the source, so every modifier of such a block is kept.
const fs = require("fs");
const path = require("path");

const project = path.resolve(__dirname, "..");

function filesUnder(folder, ending) {
  return fs
    .readdirSync(path.join(project, folder), { recursive: true })
    .filter((name) => name.endsWith(ending))
    .map((name) => path.join(project, folder, name));
}

const templates = filesUnder("seal_app/templates", ".html");
const built = new Set();
for (const file of templates) {
  for (const match of fs.readFileSync(file, "utf8").matchAll(/(kern-[a-z0-9_-]+?)--?\{[{%]/g)) {
    built.add(match[1]);
  }
}

module.exports = {
  content: [
    ...templates,
    ...filesUnder("seal_app/static/js", ".js"),
    ...filesUnder("seal_app", ".py"),
  ],
  css: [path.join(project, "node_modules/@kern-ux/native/dist/kern.min.css")],
  safelist: {
    standard: [...built].map((block) => new RegExp(`^${block}(--|$)`)),
  },
};

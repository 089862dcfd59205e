// Copies the front-end packages installed by `npm ci` into qms/web/static_build/vendor.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "qms", "web", "static_build", "vendor");
mkdirSync(out, { recursive: true });
const files = [
  ["node_modules/htmx.org/dist/htmx.min.js", "htmx.min.js"],
];
for (const [src, dest] of files) {
  copyFileSync(join(root, src), join(out, dest));
  console.log(`assets: ${src} -> qms/web/static_build/vendor/${dest}`);
}

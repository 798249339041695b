// The landing page preloads the early guide's whole module graph (App/Components/EarlyGuideModules.cs),
// so the guide is usable as soon as the page is parsed. A module the guide comes to import but the
// list forgets still works, only one import level later; this test says which one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where a URL path of the app is on disk: the root wwwroot/, or App.Client's collocated modules. */
function fileOf(urlPath) {
  return urlPath.startsWith("Chat/") ? join(root, "App.Client", urlPath) : join(root, "wwwroot", urlPath);
}

/** Every static import (`import … from "…"` and `export … from "…"`) reachable from one module. */
function staticGraph(entry) {
  const seen = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const path = pending.pop();
    if (seen.has(path)) continue;
    seen.add(path);
    const source = readFileSync(fileOf(path), "utf8");
    for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gms)) {
      pending.push(posix.normalize(posix.join(posix.dirname(path), specifier)));
    }
  }
  return seen;
}

function preloadedPaths() {
  const source = readFileSync(join(root, "App", "Components", "EarlyGuideModules.cs"), "utf8");
  return new Set([...source.matchAll(/^\s*"([^"]+\.js)",$/gm)].map(([, path]) => path));
}

test("App.razor preloads exactly the early guide's module graph", () => {
  const graph = staticGraph("js/early-guide.js");
  assert.ok(graph.size > 10, `the graph was read (${graph.size} modules)`);
  assert.deepEqual([...preloadedPaths()].sort(), [...graph].sort());
});

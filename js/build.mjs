// Bundle the widgets with esbuild: one minified ESM file per widget plus one
// CSS file, written to synalinks_nb/static/. `--watch` rebuilds on change
// (use with ANYWIDGET_HMR=1 for live reload in a notebook).
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "synalinks_nb", "static");
const watch = process.argv.includes("--watch");
const LIMIT = 150 * 1024;

mkdirSync(outdir, { recursive: true });
const options = {
  entryPoints: {
    program_graph: join(root, "js/program_graph.ts"),
    trace_viewer: join(root, "js/trace_viewer.ts"),
    training_dashboard: join(root, "js/training_dashboard.ts"),
    variable_history: join(root, "js/variable_history.ts"),
    widgets: join(root, "js/styles.css"),
  },
  outdir,
  bundle: true,
  format: "esm",
  target: ["es2020"],
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  legalComments: "none",
  logLevel: "info",
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
  let total = 0;
  for (const f of readdirSync(outdir).sort()) {
    if (!/\.(js|css)$/.test(f)) continue;
    const size = statSync(join(outdir, f)).size;
    total += size;
    console.log(`${f.padEnd(24)} ${(size / 1024).toFixed(1).padStart(7)} KB`);
  }
  console.log(
    `${"total".padEnd(24)} ${(total / 1024).toFixed(1).padStart(7)} KB (limit ${LIMIT / 1024} KB)`,
  );
  if (total > LIMIT) {
    console.error(`Bundle too large: ${total} bytes > ${LIMIT} bytes`);
    process.exit(1);
  }
}

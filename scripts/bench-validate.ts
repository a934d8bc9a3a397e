/**
 * Benchmark of the Flow JSON validator: `npm run bench`.
 *
 * Generates valid flows of about 10 KB, 1 MB and 10 MB (pretty-printed, linear navigate chain, Dropdowns with
 * 50 options, 10 for the small flow, a TextBody filler per screen) and, in a fresh child process per size (node --expose-gc):
 *   - memory: one validation, peak RSS growth (process.resourceUsage().maxRSS) over the RSS measured after the
 *     source string was built and garbage collected, as a multiple of the input size;
 *   - time: warm-up, then repeated validations; mean/min ms and MB/s (MB = 10^6 bytes).
 * Rows per size: `valid` (default lazy positions: native JSON.parse, offsets collected only if a problem must be
 * located — none here), `valid-eager` (options.positions "eager": the location-preserving parser builds the tree
 * and records every offset up front) and `errors` (one error per screen: offsets scan + line/column resolution).
 *
 * `--compare DIR [ROUNDS]` instead compares this build with another one in one process (see `compare`).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { validateFlowJson, type ValidateOptions } from "../provider/validation";

function dropdown(i: number, options: number): Record<string, unknown> {
  return {
    type: "Dropdown",
    name: `choice_${i}`,
    label: `Choice ${i}`,
    "data-source": Array.from({ length: options }, (_, j) => ({
      id: `opt_${j}`,
      title: `Option ${j}`,
      description: `Description of option ${j}`,
    })),
  };
}

function letters(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

export function generateFlow(targetBytes: number, withErrors = false): string {
  const screens = Math.max(2, Math.min(100, Math.round(targetBytes / 100_000)));
  const options = targetBytes < 100_000 ? 10 : 50;
  const build = (n: number, filler: number) => {
    const ids = Array.from({ length: screens }, (_, i) => `SCREEN_${letters(i)}`);
    return {
      version: "7.3",
      screens: ids.map((id, i) => {
        const last = i === screens - 1;
        const children: unknown[] = [{ type: "TextHeading", text: `Step ${i + 1}` }];
        for (let k = 0; k < n; k++) children.push(dropdown(k, options));
        if (filler > 0) children.push({ type: "TextBody", text: "Lorem ipsum ".repeat(Math.ceil(filler / 12)).slice(0, filler) });
        if (withErrors) children.push({ type: "TextBody", text: "x", "font-size": 12 });
        children.push({
          type: "Footer",
          label: last ? "Done" : "Next",
          "on-click-action": last
            ? { name: "complete", payload: { choice: "${form.choice_0}" } }
            : { name: "navigate", next: { type: "screen", name: ids[i + 1] }, payload: {} },
        });
        return { id, title: `Screen ${i + 1}`, ...(last ? { terminal: true } : {}), layout: { type: "SingleColumnLayout", children } };
      }),
    };
  };
  const size = (n: number, filler: number) => JSON.stringify(build(n, filler), null, 2).length;
  const base = size(0, 0);
  const perDropdown = (size(1, 0) - base) / screens;
  // dropdowns per screen (≤ 45: 50 components per screen), then a TextBody per screen to reach the target
  const n = Math.max(0, Math.min(45, Math.floor((targetBytes - base) / screens / perDropdown)));
  const withN = size(n, 0);
  const fillerOverhead = (size(n, 1) - withN) / screens - 1;
  const filler = Math.max(0, Math.floor((targetBytes - withN) / screens - fillerOverhead));
  return JSON.stringify(build(n, filler), null, 2);
}

/**
 * One measurement in a fresh process (started with --expose-gc).
 * `cold`: the very first call (JIT and heap growth included) — its time, and the growth of the process's peak
 *   RSS (`resourceUsage().maxRSS`) over the RSS measured just before it, with the source already in memory and
 *   garbage collected. This is an upper bound of the memory the validation needs: it includes one-off costs
 *   (compiled code, V8 young-generation sizing), which dominate for small inputs.
 * `warm`: warm-up on the file, then mean/min time of repeated validations.
 */
function child(file: string, eager: boolean, mode: "cold" | "warm"): void {
  const options = eager ? ({ positions: "eager" } as const) : {};
  const gc = (globalThis as { gc?: () => void }).gc;
  const src = readFileSync(file, "utf8");
  const bytes = src.length;
  if (mode === "cold") {
    gc?.();
    gc?.();
    const rssBefore = process.memoryUsage().rss;
    const t0 = process.hrtime.bigint();
    const first = validateFlowJson(src, options);
    const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const peakDelta = Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore);
    process.stdout.write(JSON.stringify({ coldMs, peakDelta, errors: first.errors.length }));
    return;
  }
  const iterations = bytes >= 5_000_000 ? 8 : bytes >= 500_000 ? 40 : 2000;
  let errors = 0;
  for (let i = 0; i < Math.min(iterations, 20); i++) errors = validateFlowJson(src, options).errors.length;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    validateFlowJson(src, options);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const min = Math.min(...times);
  process.stdout.write(JSON.stringify({ bytes, errors, meanMs: mean, minMs: min }));
}

/**
 * `--compare DIR [ROUNDS]`: this build against another build of the package (`DIR` holds its compiled
 * `provider/validation/index.js`, e.g. a copy of `dist/` made before a change), in one process with the two
 * validators interleaved on the same flows, timed in CPU time (`process.cpuUsage`): on a shared, loaded machine
 * wall-clock runs in separate processes differ by ±30% while this stays within a few percent. Prints the median
 * and minimum per flow and their ratio (after / before; 1.10 = 10% slower).
 */
function compare(dir: string, rounds: number): void {
  type Validate = typeof validateFlowJson;
  const before: Validate = require(path.resolve(dir, "provider/validation/index.js")).validateFlowJson;
  const flows: [string, string, ValidateOptions][] = [
    ["10 KB valid", generateFlow(10_000), {}],
    ["1 MB valid", generateFlow(1_000_000), {}],
    ["1 MB valid-eager", generateFlow(1_000_000), { positions: "eager" }],
    ["1 MB errors", generateFlow(1_000_000, true), {}],
    ["10 MB valid", generateFlow(10_000_000), {}],
  ];
  const cpuMs = (f: Validate, src: string, options: ValidateOptions, times: number) => {
    const t = process.cpuUsage();
    for (let i = 0; i < times; i++) f(src, options);
    const d = process.cpuUsage(t);
    return (d.user + d.system) / 1000 / times;
  };
  const median = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1];
  process.stdout.write(`Flow JSON validator, this build (after) vs ${dir} (before): CPU ms per validation, ${rounds} interleaved rounds\n`);
  for (const [label, src, options] of flows) {
    const times = src.length < 100_000 ? 200 : 1;
    for (let i = 0; i < 3; i++) {
      cpuMs(before, src, options, times);
      cpuMs(validateFlowJson, src, options, times);
    }
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // alternate which one goes first, so neither always runs on a warmer cache
      const beforeFirst = i % 2 === 1;
      const t1 = cpuMs(beforeFirst ? before : validateFlowJson, src, options, times);
      const t2 = cpuMs(beforeFirst ? validateFlowJson : before, src, options, times);
      a.push(beforeFirst ? t1 : t2);
      b.push(beforeFirst ? t2 : t1);
    }
    const [ma, mb, na, nb] = [median(a), median(b), Math.min(...a), Math.min(...b)];
    process.stdout.write(
      `${label.padEnd(17)} before median ${ma.toFixed(3)} min ${na.toFixed(3)} | after median ${mb.toFixed(3)} min ${nb.toFixed(3)} | ratio median ${(mb / ma).toFixed(3)} min ${(nb / na).toFixed(3)}\n`,
    );
  }
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(args[1], args[2] === "eager", args[3] === "cold" ? "cold" : "warm");
  if (args[0] === "--compare") return compare(args[1], Number(args[2] ?? 21));
  const dir = mkdtempSync(path.join(tmpdir(), "wf-bench-"));
  const sizes: [string, number][] = [
    ["10 KB", 10_000],
    ["1 MB", 1_000_000],
    ["10 MB", 10_000_000],
  ];
  const rows: string[][] = [];
  for (const [label, bytes] of sizes) {
    for (const variant of ["valid", "valid-eager", "errors"]) {
      const file = path.join(dir, `${bytes}-${variant}.json`);
      writeFileSync(file, generateFlow(bytes, variant === "errors"));
      const run = (mode: string) => {
        const args = ["--expose-gc", __filename, "--child", file, variant === "valid-eager" ? "eager" : "lazy", mode];
        const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 });
        if (r.status !== 0) throw new Error(r.stderr);
        return JSON.parse(r.stdout);
      };
      const cold = run("cold");
      const m = { ...run("warm"), coldMs: cold.coldMs, peakDelta: cold.peakDelta };
      rmSync(file, { force: true });
      rows.push([
        label,
        variant,
        (m.bytes / 1e6).toFixed(3),
        String(m.errors),
        m.meanMs.toFixed(2),
        m.minMs.toFixed(2),
        m.coldMs.toFixed(2),
        (m.bytes / 1e6 / (m.meanMs / 1000)).toFixed(1),
        (m.peakDelta / m.bytes).toFixed(2),
      ]);
    }
  }
  const head = ["size", "flow", "MB", "errors", "mean ms", "min ms", "cold ms", "MB/s (mean)", "cold peak RSS growth / input"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  process.stdout.write(`Flow JSON validator benchmark (node ${process.version}, MB = 10^6 bytes; cold = first call in a fresh process)\n`);
  process.stdout.write(line(head) + "\n" + widths.map((w) => "-".repeat(w)).join("  ") + "\n");
  for (const r of rows) process.stdout.write(line(r) + "\n");
  rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) main();

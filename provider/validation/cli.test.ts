import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { runValidateCli } from "./cli";
import { baseFlow } from "./test-helpers";

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd }, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), "wf-validate-"));
writeFileSync(path.join(dir, "good.json"), JSON.stringify(baseFlow(), null, 2));
const bad = baseFlow();
bad.screens[0].layout.children[1]["initial-text"] = "x";
const badSrc = JSON.stringify(bad, null, 2);
writeFileSync(path.join(dir, "bad.json"), badSrc);
writeFileSync(path.join(dir, "broken.json"), '{\n  "version": "7.3",\n}');
const warn = baseFlow();
warn.screens[0].layout.children[1].label = "A label longer than twenty";
writeFileSync(path.join(dir, "warn.json"), JSON.stringify(warn, null, 2));

describe("whatsapp-flows validate", () => {
  it("exits 0 and prints nothing for a valid file", async () => {
    const t = io(dir);
    expect(await runValidateCli(["good.json"], t.io)).toBe(0);
    expect(t.out.join("")).toBe("");
  });

  it("prints eslint-like lines and exits 1 on errors", async () => {
    const t = io(dir);
    expect(await runValidateCli(["good.json", "bad.json"], t.io)).toBe(1);
    const line = badSrc.split("\n").findIndex((l) => l.includes('"initial-text"')) + 1;
    const col = badSrc.split("\n")[line - 1].indexOf('"initial-text"') + 1;
    expect(t.out.join("")).toBe(
      `bad.json:${line}:${col}  error  INVALID_PROPERTY  The property "initial-text" cannot be specified at "$root/screens/0/layout/children/1"\n`,
    );
  });

  it("reports a syntax error with its position", async () => {
    const t = io(dir);
    expect(await runValidateCli(["broken.json"], t.io)).toBe(1);
    expect(t.out.join("")).toMatch(/^broken\.json:2:19 {2}error {2}INVALID_FLOW_JSON {2}Flow JSON is not valid JSON: Trailing comma/);
  });

  it("exits 0 with warnings only", async () => {
    const t = io(dir);
    expect(await runValidateCli(["warn.json"], t.io)).toBe(0);
    expect(t.out.join("")).toMatch(/^warn\.json:\d+:\d+ {2}warning {2}MAX_CHARS_EXCEEDED/);
  });

  it("--format json prints one array with one object per file", async () => {
    const t = io(dir);
    expect(await runValidateCli(["--format", "json", "good.json", "bad.json"], t.io)).toBe(1);
    const parsed = JSON.parse(t.out.join(""));
    expect(parsed.map((f: any) => [f.file, f.errors.length, f.warnings.length])).toEqual([
      ["good.json", 0, 0],
      ["bad.json", 1, 0],
    ]);
    expect(parsed[1].errors[0]).toMatchObject({ error: "INVALID_PROPERTY", error_type: "JSON_SCHEMA_ERROR", severity: "error" });
    expect(parsed[1].errors[0].pointers[0].path).toBe("screens[0].layout.children[1].initial-text");
  });

  it("--target aws makes an early version an error", async () => {
    const early = baseFlow();
    early.version = "7.4";
    writeFileSync(path.join(dir, "early.json"), JSON.stringify(early));
    expect(await runValidateCli(["early.json"], io(dir).io)).toBe(0);
    expect(await runValidateCli(["--target=aws", "early.json"], io(dir).io)).toBe(1);
  });

  it("exits 2 on usage errors and unreadable files", async () => {
    let t = io(dir);
    expect(await runValidateCli([], t.io)).toBe(2);
    expect(t.err.join("")).toMatch(/no file given/);
    t = io(dir);
    expect(await runValidateCli(["--format", "xml", "good.json"], t.io)).toBe(2);
    t = io(dir);
    expect(await runValidateCli(["--bogus", "good.json"], t.io)).toBe(2);
    t = io(dir);
    expect(await runValidateCli(["missing.json", "bad.json"], t.io)).toBe(2);
    expect(t.err.join("")).toMatch(/cannot read missing\.json: ENOENT/);
    expect(t.out.join("")).toMatch(/bad\.json/);
  });
});

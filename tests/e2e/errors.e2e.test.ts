/**
 * Errors a user meets before any write: a Flow JSON file over the 10 MB limit fails at preview, naming
 * the file, its size and the limit, and nothing is written to the vendor (issue 17, item 7).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { e2eSuite } from "./harness";

const suite = e2eSuite("aws");
const WRITES = ["create", "upload", "publish", "deprecate", "delete", "update", "migrate"];

test("a Flow JSON over 10 MB fails at preview (and so `up`) with the file, its size and the limit; no write call", async () => {
  const name = "e2e-too-large";
  const c = await suite.program([{ key: "big", name, categories: ["OTHER"], file: "fixtures/big.json", publish: true }]);
  const flow = JSON.parse(fs.readFileSync(path.join(c.dir, "fixtures", "signup-v1.json"), "utf8"));
  flow.padding = "x".repeat(11 * 1024 * 1024);
  const text = JSON.stringify(flow);
  fs.writeFileSync(path.join(c.dir, "fixtures", "big.json"), text);
  const bytes = Buffer.byteLength(text).toLocaleString("en-US");

  const seq = suite.lastSeq();
  const preview = await c.preview();
  expect(preview.code).not.toBe(0);
  expect(preview.output).toContain(`Flow "${name}": fixtures/big.json is ${bytes} bytes (11.0 MB), over the 10 MB limit`);
  expect(preview.output).not.toContain("Unexpected struct type");
  // `up` previews first (as users run it): the preview's failure stops it before any write.
  const up = await c.run(["up", "--yes", "--non-interactive"]);
  expect(up.code).not.toBe(0);
  expect(up.output).toContain(`fixtures/big.json is ${bytes} bytes`);
  expect(suite.actionsSince(seq).filter((a) => WRITES.includes(a))).toEqual([]);
  expect(suite.flowNamed(name)).toEqual([]);
}, 300_000);

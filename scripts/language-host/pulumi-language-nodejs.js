#!/usr/bin/env node
// A minimal Node.js language host for the Pulumi CLI, used where the official `pulumi-language-nodejs`
// binary cannot be built (our machines reach the Go module proxy, which does not serve that module).
// It runs compiled JavaScript programs (Pulumi.yaml `main` pointing at a .js file or a folder whose
// package.json names one) in-process, through the same LanguageServer the Automation API uses for
// inline programs, with the @pulumi/pulumi installed in the project. Not a general replacement: no
// TypeScript transpiling, no dependency installation, no policy packs.
"use strict";
const path = require("path");
const fs = require("fs");

const args = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const engineAddress = args[args.length - 1];
const root = (process.argv.find((a) => a.startsWith("-root=")) || "").slice("-root=".length) || process.cwd();

function resolveFrom(dir, request) {
  return require.resolve(request, { paths: [dir] });
}

let pulumiDir;
try {
  pulumiDir = path.dirname(resolveFrom(root, "@pulumi/pulumi/package.json"));
} catch (e) {
  console.error(`pulumi-language-nodejs (whatsapp-flows shim): cannot find @pulumi/pulumi from ${root}; run npm install`);
  process.exit(1);
}
const grpc = require(resolveFrom(pulumiDir, "@grpc/grpc-js"));
const { LanguageServer } = require(path.join(pulumiDir, "automation", "server"));
const langrpc = require(path.join(pulumiDir, "proto", "language_grpc_pb"));
const langproto = require(path.join(pulumiDir, "proto", "language_pb"));
const runtime = require(path.join(pulumiDir, "runtime"));

function entryPoint(req) {
  const info = req.getInfo && req.getInfo();
  const dir = (info && info.getProgramDirectory()) || req.getPwd() || root;
  const entry = (info && info.getEntryPoint()) || req.getProgram() || ".";
  let target = path.resolve(dir, entry);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const pkgFile = path.join(target, "package.json");
    const main = fs.existsSync(pkgFile) ? JSON.parse(fs.readFileSync(pkgFile, "utf8")).main : undefined;
    target = path.resolve(target, main || "index.js");
  }
  return target;
}

class ProgramLanguageServer extends LanguageServer {
  constructor() {
    super(undefined);
  }
  run(call, callback) {
    const req = call.request;
    const file = entryPoint(req);
    // Like the official host: the program runs in the folder of `main` (Pulumi's `pwd`).
    if (req.getPwd()) process.chdir(req.getPwd());
    this.program = async () => {
      const exported = require(file);
      // Like the official host: a function export is called, its result becomes the stack outputs.
      const value = typeof exported === "function" ? await exported() : exported;
      return value && typeof value === "object" ? { ...value } : value;
    };
    return super.run(call, callback);
  }
  getRequiredPackages(call, callback) {
    callback(undefined, new langproto.GetRequiredPackagesResponse());
  }
}

async function main() {
  if (!engineAddress) {
    console.error("fatal: missing <engine> address");
    process.exit(1);
  }
  const server = new grpc.Server({ ...(runtime.grpcChannelOptions || {}) });
  server.addService(langrpc.LanguageRuntimeService, new ProgramLanguageServer());
  const port = await new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  process.stdout.write(`${port}\n`);
  // Like the provider (provider/watchdog.ts): once the engine that started us is gone (kill -9 of the
  // CLI), exit instead of serving nobody forever.
  const engine = process.ppid;
  setInterval(() => process.ppid !== engine && process.exit(1), 1000).unref();
  for (const s of [process.stdout, process.stderr]) s.on("error", () => process.exit(1));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});

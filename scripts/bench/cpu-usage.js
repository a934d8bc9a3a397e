// Diagnostics for `npm run bench:deploy` (docs/budgets.md, "Our CPU vs the engine's floor"): preloaded with
// NODE_OPTIONS="--require <this file>" and WF_CPU_USAGE_LOG=<file>, every Node.js process of the benchmark's
// commands appends one line when it ends: the command (WF_CPU_PROF_RUN), the stack's state folder, its role
// (provider, language host, other) and its CPU (user + system ms). The CLI's own CPU is the rest of GNU time's total.
"use strict";
const fs = require("node:fs");

const log = process.env.WF_CPU_USAGE_LOG;
if (log) {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const u = process.cpuUsage();
    const main = process.argv[1] || "";
    const role = /dynamic-provider/.test(main)
      ? "provider"
      : /language-nodejs/.test(main)
        ? "language-host"
        : main.split("/").slice(-2).join("/") || "node";
    const line = [process.env.WF_CPU_PROF_RUN || "-", process.env.PULUMI_BACKEND_URL || "-", role, Math.round((u.user + u.system) / 1000)];
    fs.appendFileSync(log, `${line.join(" ")}\n`);
  };
  process.on("exit", write);
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => {
      write();
      process.exit(128 + (signal === "SIGTERM" ? 15 : 2));
    });
  }
}

// Preloaded by `npm run bench:deploy -- --cpu-prof DIR` (NODE_OPTIONS=--require …; Node.js refuses
// --cpu-prof there): profiles this Node.js process with the inspector and writes a profile
// when it ends (exit or SIGTERM/SIGINT) as DIR/<command>-<role>-<pid>.cpuprofile, to be opened in Chrome DevTools.
"use strict";
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.WF_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (err, result) => {
      if (err || !result) return;
      fs.mkdirSync(dir, { recursive: true });
      // <command>-<role>-<pid>: the command from bench-deploy (WF_CPU_PROF_RUN), the role from the entry script.
      const main = process.argv[1] || "";
      const role = /dynamic-provider/.test(main)
        ? "provider"
        : /language-nodejs/.test(main)
          ? "program"
          : path.basename(main, ".js") || "node";
      const name = [process.env.WF_CPU_PROF_RUN, role, process.pid].filter(Boolean).join("-");
      fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => {
      write();
      process.exit(128 + (signal === "SIGTERM" ? 15 : 2));
    });
  }
}

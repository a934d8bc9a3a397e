// Makes `require("whatsapp-flows")` resolve inside this repository as it does in a user's project:
// the provider shim stored in state requires the package by name from the program's directory.
const fs = require("fs");
const path = require("path");
const link = path.join(__dirname, "..", "node_modules", "whatsapp-flows");
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.unlinkSync(link);
} catch {
  /* absent */
}
if (fs.existsSync(path.dirname(link))) fs.symlinkSync("..", link, "dir");

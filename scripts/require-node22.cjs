// Runs before install, start and test under whatever Node is on PATH, so it is
// plain CommonJS that old Node versions can parse.
"use strict";
var parts = process.versions.node.split(".").map(Number);
var ok = parts[0] > 22 || (parts[0] === 22 && parts[1] >= 18);
if (!ok) {
  process.stderr.write(
    "Energy-Intelligence needs Node.js 22.18 or newer; this is Node " +
      process.versions.node +
      ".\n" +
      "Get Node 22 from npm (works wherever npm does):\n" +
      '  npm install --prefix "$HOME/.cache/node22" --no-save node@22\n' +
      '  export PATH="$HOME/.cache/node22/node_modules/.bin:$PATH"\n' +
      "then run the command again (run npm ci under Node 22 too).\n",
  );
  process.exit(1);
}

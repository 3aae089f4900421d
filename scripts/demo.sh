#!/bin/sh
# Sets up everything and runs the demo: installs OpenSSH's server when missing (Debian), the npm packages,
# builds, starts the private test sshd on loopback (4 hosts: 127.0.0.1-4) and runs demo/fanout.yml with the
# bundled engine, printing every job's status live.
set -eu
cd "$(dirname "$0")/.."

if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
  else
    echo "demo: sshd is missing; run: sudo apt-get install -y openssh-server" >&2
    exit 1
  fi
fi
[ -d node_modules ] || npm ci
npm run build >/dev/null

info=$(test/host/start-sshd.sh .scratch/sshd 4)
mkdir -p .scratch/demo
node -e '
const info = require(process.argv[1]);
const lines = ["[demo]"];
info.hosts.slice(0, 4).forEach((h, i) => lines.push(`web${i + 1} ansible_host=${h}`));
lines.push("", "[all:vars]", `ansible_port=${info.port}`, `ansible_user=${info.user}`, `ansible_ssh_private_key_file=${info.privateKey}`);
require("fs").writeFileSync(".scratch/demo/inventory", lines.join("\n") + "\n");
' "$info"

echo "test host: $(node -p 'const i=require(process.argv[1]);i.hosts.slice(0,4).join(", ")+" port "+i.port' "$info") (stop it with test/host/stop-sshd.sh)"
exec node dist/cli.js run demo/fanout.yml -i .scratch/demo/inventory --known-hosts "$(node -p 'require(process.argv[1]).knownHosts' "$info")" --journal .scratch/demo/journal.jsonl "$@"

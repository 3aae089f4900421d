#!/bin/sh
# Starts a private OpenSSH sshd for tests and benchmarks: its own host key, a generated client key, the remote
# HOME under a scratch folder, listening on 127.0.0.1..127.0.0.N (distinct "hosts" for inventories).
# OpenSSH caps listen sockets per process at 16, so N > 16 starts one sshd per 16 addresses (same config).
#
# Usage: test/host/start-sshd.sh [DIR] [N]     (defaults: .scratch/sshd, 8; env PS_SSHD_PORT picks the port)
# Writes DIR/info.json (port, hosts, user, keys, known_hosts) and DIR/pids. Idempotent: a running host is reused
# when it serves at least N addresses.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:-$root/.scratch/sshd}
count=${2:-8}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

sshd_bin=$(command -v sshd || true)
[ -n "$sshd_bin" ] || sshd_bin=/usr/sbin/sshd
if [ ! -x "$sshd_bin" ]; then
  echo "start-sshd: sshd not found; install Debian's openssh-server (apt-get install -y openssh-server)" >&2
  exit 3
fi

# Reuse a running host that is big enough.
if [ -f "$dir/pids" ] && [ -f "$dir/info.json" ]; then
  alive=1
  for pid in $(cat "$dir/pids"); do kill -0 "$pid" 2>/dev/null || alive=0; done
  have=$(node -e 'console.log(require(process.argv[1]).hosts.length)' "$dir/info.json" 2>/dev/null || echo 0)
  if [ "$alive" = 1 ] && [ "$have" -ge "$count" ]; then
    echo "$dir/info.json"
    exit 0
  fi
  "$here/stop-sshd.sh" "$dir" >/dev/null 2>&1 || true
fi

user=$(id -un)
mkdir -p "$dir/home/.ssh" "$dir/etc"
chmod 700 "$dir/home" "$dir/home/.ssh"
[ -f "$dir/etc/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C playbook-studio-test-host -f "$dir/etc/host_ed25519"
[ -f "$dir/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C playbook-studio-test-client -f "$dir/client_ed25519"
cp "$dir/client_ed25519.pub" "$dir/etc/authorized_keys"
chmod 600 "$dir/etc/authorized_keys"

port=${PS_SSHD_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}

# Privilege separation needs this directory when sshd starts as root.
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd

: > "$dir/pids"
: > "$dir/known_hosts"
hostkey=$(cut -d' ' -f1,2 "$dir/etc/host_ed25519.pub")
hosts_json=""
i=1
proc=0
while [ "$i" -le "$count" ]; do
  conf="$dir/etc/sshd_config.$proc"
  {
    echo "Port $port"
    j=0
    while [ "$j" -lt 16 ] && [ "$i" -le "$count" ]; do
      echo "ListenAddress 127.0.0.$i"
      echo "[127.0.0.$i]:$port $hostkey" >> "$dir/known_hosts"
      hosts_json="$hosts_json${hosts_json:+,}\"127.0.0.$i\""
      i=$((i + 1)); j=$((j + 1))
    done
    cat <<CONF
HostKey $dir/etc/host_ed25519
PidFile $dir/sshd.$proc.pid
AuthorizedKeysFile $dir/etc/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers $user
StrictModes no
UsePAM no
PrintMotd no
PrintLastLog no
UseDNS no
MaxStartups 500:30:1000
MaxSessions 200
ClientAliveInterval 0
SetEnv HOME=$dir/home
Subsystem sftp internal-sftp
CONF
  } > "$conf"
  "$sshd_bin" -f "$conf" -E "$dir/sshd.$proc.log"
  # sshd daemonises; wait for its pid file.
  n=0
  while [ ! -s "$dir/sshd.$proc.pid" ] && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  if [ ! -s "$dir/sshd.$proc.pid" ]; then
    echo "start-sshd: sshd did not start; log:" >&2
    cat "$dir/sshd.$proc.log" >&2 || true
    exit 1
  fi
  cat "$dir/sshd.$proc.pid" >> "$dir/pids"
  proc=$((proc + 1))
done

cat > "$dir/info.json" <<JSON
{
  "port": $port,
  "user": "$user",
  "hosts": [$hosts_json],
  "privateKey": "$dir/client_ed25519",
  "knownHosts": "$dir/known_hosts",
  "hostPublicKey": "$dir/etc/host_ed25519.pub",
  "home": "$dir/home",
  "dir": "$dir"
}
JSON

# Wait until every address accepts connections.
node -e '
const net = require("net");
const info = require(process.argv[1]);
const deadline = Date.now() + 10000;
const probe = (h) => new Promise((res) => { const s = net.connect(info.port, h); s.on("connect", () => { s.destroy(); res(true); }); s.on("error", () => res(false)); });
(async () => { for (const h of info.hosts) { while (!(await probe(h))) { if (Date.now() > deadline) { console.error("start-sshd: " + h + " not reachable"); process.exit(1); } await new Promise(r => setTimeout(r, 100)); } } })();
' "$dir/info.json"
echo "$dir/info.json"

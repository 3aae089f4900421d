/**
 * Facts from one POSIX sh probe (no Python on the target): /etc/os-release, uname, /proc, id, env, ip route.
 * The probe prints `key=value` lines (env as NUL-free `env:NAME=value` lines); parsing happens here.
 */
export const FACTS_PROBE = String.raw`
echo "hostname=$(hostname 2>/dev/null || uname -n)"
echo "fqdn=$(hostname -f 2>/dev/null || hostname 2>/dev/null || uname -n)"
echo "kernel=$(uname -r)"
echo "kernel_version=$(uname -v)"
echo "system=$(uname -s)"
echo "machine=$(uname -m)"
if [ -r /etc/os-release ]; then sed -n 's/^\(ID\|ID_LIKE\|NAME\|VERSION_ID\|VERSION_CODENAME\|PRETTY_NAME\)=/os_\1=/p' /etc/os-release; fi
[ -r /etc/debian_version ] && echo "debian_version=$(cat /etc/debian_version)"
echo "vcpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || grep -c ^processor /proc/cpuinfo 2>/dev/null)"
[ -r /proc/meminfo ] && awk '/^MemTotal:/ { print "memtotal_kb=" $2 } /^MemFree:/ { print "memfree_kb=" $2 } /^SwapTotal:/ { print "swaptotal_kb=" $2 }' /proc/meminfo
echo "user_id=$(id -un)"
echo "user_uid=$(id -u)"
echo "user_gid=$(id -g)"
echo "user_dir=$HOME"
echo "user_shell=$(getent passwd "$(id -un)" 2>/dev/null | cut -d: -f7)"
echo "epoch=$(date +%s)"
echo "date_line=$(date '+%Y %m %d %H %M %S %Z %z %A %a %B %b %j %U %u')"
echo "utc_line=$(date -u '+%Y-%m-%d %H:%M:%S')"
if command -v ip >/dev/null 2>&1; then
  ip -4 route get 1.1.1.1 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) { if ($i == "src") print "ipv4_address=" $(i+1); if ($i == "dev") print "ipv4_interface=" $(i+1); if ($i == "via") print "ipv4_gateway=" $(i+1) } }' | head -3
fi
for m in apt-get dnf yum zypper apk pacman; do if command -v $m >/dev/null 2>&1; then echo "pkg_mgr=$m"; break; fi; done
if [ -d /run/systemd/system ]; then echo "service_mgr=systemd"; else echo "service_mgr=$(cat /proc/1/comm 2>/dev/null || echo sysvinit)"; fi
env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=/env:\1=/p'
`;

export const FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', linuxmint: 'Debian', raspbian: 'Debian',
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat', ol: 'RedHat', amzn: 'RedHat',
  sles: 'Suse', opensuse: 'Suse', 'opensuse-leap': 'Suse', arch: 'Archlinux', alpine: 'Alpine', gentoo: 'Gentoo',
};

export const DISTRIBUTION: Record<string, string> = { debian: 'Debian', ubuntu: 'Ubuntu', centos: 'CentOS', rhel: 'RedHat', fedora: 'Fedora', alpine: 'Alpine', arch: 'Archlinux', rocky: 'Rocky', almalinux: 'AlmaLinux' };

export function parseFacts(stdout: string): Record<string, unknown> {
  const kv: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    if (line.startsWith('env:')) {
      const eq = line.indexOf('=');
      env[line.slice(4, eq)] = line.slice(eq + 1);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) kv[line.slice(0, eq)] = line.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  const id = (kv.os_ID ?? '').toLowerCase();
  const version = kv.debian_version && id === 'debian' ? kv.debian_version : kv.os_VERSION_ID ?? '';
  const [year, month, day, hour, minute, second, tz, tzOffset, weekday, weekdayShort, monthName, monthShort, yearDay, weekNumber, weekdayNumber] = (kv.date_line ?? '').split(' ');
  const epoch = Number(kv.epoch ?? 0);
  const facts: Record<string, unknown> = {
    hostname: (kv.hostname ?? '').split('.')[0],
    nodename: kv.hostname ?? '',
    fqdn: kv.fqdn ?? '',
    domain: (kv.fqdn ?? '').split('.').slice(1).join('.'),
    kernel: kv.kernel ?? '',
    kernel_version: kv.kernel_version ?? '',
    system: kv.system ?? '',
    machine: kv.machine ?? '',
    architecture: kv.machine ?? '',
    os_family: FAMILY[id] ?? FAMILY[(kv.os_ID_LIKE ?? '').split(' ')[0]] ?? (kv.os_NAME || kv.system || ''),
    distribution: DISTRIBUTION[id] ?? (kv.os_NAME ?? kv.system ?? ''),
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? '',
    distribution_release: kv.os_VERSION_CODENAME ?? '',
    processor_vcpus: Number(kv.vcpus ?? 0),
    processor_nproc: Number(kv.vcpus ?? 0),
    memtotal_mb: Math.floor(Number(kv.memtotal_kb ?? 0) / 1024),
    memfree_mb: Math.floor(Number(kv.memfree_kb ?? 0) / 1024),
    swaptotal_mb: Math.floor(Number(kv.swaptotal_kb ?? 0) / 1024),
    user_id: kv.user_id ?? '',
    user_uid: Number(kv.user_uid ?? 0),
    user_gid: Number(kv.user_gid ?? 0),
    user_dir: kv.user_dir ?? '',
    user_shell: kv.user_shell ?? '',
    env,
    pkg_mgr: kv.pkg_mgr === 'apt-get' ? 'apt' : kv.pkg_mgr ?? 'unknown',
    service_mgr: kv.service_mgr ?? 'unknown',
    default_ipv4: kv.ipv4_address ? { address: kv.ipv4_address, interface: kv.ipv4_interface ?? '', gateway: kv.ipv4_gateway ?? '' } : {},
    date_time: {
      year, month, day, hour, minute, second,
      tz, tz_offset: tzOffset, weekday, weekday_number: weekdayNumber === '7' ? '0' : weekdayNumber, weeknumber: weekNumber,
      epoch: String(epoch), epoch_int: String(epoch), date: `${year}-${month}-${day}`, time: `${hour}:${minute}:${second}`,
      iso8601: `${(kv.utc_line ?? '').replace(' ', 'T')}Z`, iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
      tz_dst: tz, monthname: monthName, monthname_short: monthShort, weekday_short: weekdayShort, julian: yearDay,
    },
    service_mgr_detected: undefined,
  };
  delete facts.service_mgr_detected;
  return facts;
}

/**
 * setup as one POSIX sh script printing its result (what an async job runs): the facts probe of
 * runtime/facts, turned into the same `ansible_facts` that parseFacts builds on the controller, by awk on the
 * target. `filter:` globs select facts the same way.
 */
import { shellQuote } from '../connection/quote';
import { DISTRIBUTION, FACTS_PROBE, FAMILY } from '../facts/probe';
import { AWK_ESCAPE } from './sh/json';
import type { ModuleContext } from './types';

function awkTable(name: string, table: Record<string, string>): string {
  return Object.entries(table).map(([k, v]) => `${name}["${k}"] = "${v}"`).join('; ');
}

/** awk: probe lines in, one `name<TAB>json` line per fact out */
const FACTS_AWK = AWK_ESCAPE + String.raw`
function s(v) { return "\"" esc(v) "\"" }
function get(k) { return (k in kv) ? kv[k] : "" }
function n(v) { return v + 0 }
BEGIN { init(); ` + awkTable('family', FAMILY) + '; ' + awkTable('distro', DISTRIBUTION) + String.raw` }
/^env:/ { eq = index($0, "="); env[substr($0, 5, eq - 5)] = substr($0, eq + 1); next }
{ eq = index($0, "="); if (eq > 1) { v = substr($0, eq + 1); if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2); kv[substr($0, 1, eq - 1)] = v } }
END {
  id = tolower(get("os_ID")); split(get("os_ID_LIKE"), like, " ")
  version = (("debian_version" in kv) && id == "debian") ? kv["debian_version"] : get("os_VERSION_ID")
  split(version, vparts, "."); host = get("hostname"); split(host, hparts, ".")
  fqdn = get("fqdn"); dot = index(fqdn, "."); domain = dot ? substr(fqdn, dot + 1) : ""
  fam = (id in family) ? family[id] : ((like[1] in family) ? family[like[1]] : (get("os_NAME") != "" ? get("os_NAME") : get("system")))
  dis = (id in distro) ? distro[id] : (("os_NAME" in kv) ? kv["os_NAME"] : get("system"))
  pm = ("pkg_mgr" in kv) ? (kv["pkg_mgr"] == "apt-get" ? "apt" : kv["pkg_mgr"]) : "unknown"
  sm = ("service_mgr" in kv) ? kv["service_mgr"] : "unknown"
  print "hostname\t" s(hparts[1]); print "nodename\t" s(host); print "fqdn\t" s(fqdn); print "domain\t" s(domain)
  print "kernel\t" s(get("kernel")); print "kernel_version\t" s(get("kernel_version")); print "system\t" s(get("system"))
  print "machine\t" s(get("machine")); print "architecture\t" s(get("machine")); print "os_family\t" s(fam); print "distribution\t" s(dis)
  print "distribution_version\t" s(version); print "distribution_major_version\t" s(vparts[1]); print "distribution_release\t" s(get("os_VERSION_CODENAME"))
  print "processor_vcpus\t" n(get("vcpus")); print "processor_nproc\t" n(get("vcpus"))
  print "memtotal_mb\t" int(n(get("memtotal_kb")) / 1024); print "memfree_mb\t" int(n(get("memfree_kb")) / 1024); print "swaptotal_mb\t" int(n(get("swaptotal_kb")) / 1024)
  print "user_id\t" s(get("user_id")); print "user_uid\t" n(get("user_uid")); print "user_gid\t" n(get("user_gid")); print "user_dir\t" s(get("user_dir")); print "user_shell\t" s(get("user_shell"))
  out = ""; for (k in env) out = out (out == "" ? "" : ", ") s(k) ": " s(env[k]); print "env\t{" out "}"
  print "pkg_mgr\t" s(pm); print "service_mgr\t" s(sm)
  if (get("ipv4_address") != "") print "default_ipv4\t{\"address\": " s(kv["ipv4_address"]) ", \"interface\": " s(get("ipv4_interface")) ", \"gateway\": " s(get("ipv4_gateway")) "}"; else print "default_ipv4\t{}"
  split(get("date_line"), d, " "); utc = get("utc_line"); sub(/ /, "T", utc)
  printf "date_time\t{\"year\": %s, \"month\": %s, \"day\": %s, \"hour\": %s, \"minute\": %s, \"second\": %s, \"tz\": %s, \"tz_offset\": %s, \"weekday\": %s, \"weekday_number\": %s, \"weeknumber\": %s, \"epoch\": %s, \"epoch_int\": %s, \"date\": %s, \"time\": %s, \"iso8601\": %s, \"iso8601_basic_short\": %s, \"tz_dst\": %s, \"monthname\": %s, \"monthname_short\": %s, \"weekday_short\": %s, \"julian\": %s}\n", s(d[1]), s(d[2]), s(d[3]), s(d[4]), s(d[5]), s(d[6]), s(d[7]), s(d[8]), s(d[9]), s(d[15] == "7" ? "0" : d[15]), s(d[14]), s(n(get("epoch")) ""), s(n(get("epoch")) ""), s(d[1] "-" d[2] "-" d[3]), s(d[4] ":" d[5] ":" d[6]), s(utc "Z"), s(d[1] d[2] d[3] "T" d[4] d[5] d[6]), s(d[7]), s(d[11]), s(d[12]), s(d[10]), s(d[13])
}
`;

/** the fact names a `filter:` selects, as an extended regex over the names (without `ansible_`) */
function filterRegex(filters: unknown): string | undefined {
  if (filters === undefined || filters === null || filters === '') return undefined;
  const list = Array.isArray(filters) ? filters : [filters];
  return '^(' + list.map((f) => String(f).replace(/^ansible_/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|') + ')\t';
}

export function setupRemoteScript(context: ModuleContext): string {
  const filter = filterRegex(context.args.filter);
  return [
    `facts=$( ( ${FACTS_PROBE} ) 2>/dev/null | LC_ALL=C awk ${shellQuote(FACTS_AWK)} | ${filter ? `grep -E -- ${shellQuote(filter)}` : 'cat'} | awk -F '\\t' '{ printf "%s\\"ansible_%s\\": %s", (NR > 1 ? ", " : ""), $1, substr($0, length($1) + 2) }')`,
    `printf '{"changed": false, "ansible_facts": {%s%s"gather_subset": ["all"], "module_setup": true}}\\n' "$facts" "$([ -n "$facts" ] && printf ', ')"`,
  ].join('\n');
}

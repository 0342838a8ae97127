// The host system as every sandbox sees it: /usr and the few parts of /etc programs need, read-only.
import fs from "node:fs";

/** What the system needs from /etc, read-only; everything else of the host's /etc stays out. */
const ETC_FILES = [
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "alternatives",
  "ssl",
  "ca-certificates",
  "ca-certificates.conf",
  "localtime",
  "timezone",
  "nsswitch.conf",
  "protocols",
  "services",
  "mime.types",
  "os-release",
  "debian_version",
  "bash.bashrc",
  "inputrc",
];

let binds: string[] | undefined;

export /**
 * /bin, /lib … : symlinks into /usr on merged-/usr systems, read-only binds elsewhere. Looked up once per
 * process (the host's layout doesn't change under it), not with file calls on every run's start.
 */
function systemBinds(): string[] {
  binds ??= lookUpSystemBinds();
  return binds;
}

function lookUpSystemBinds(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(dir), dir);
    else args.push("--ro-bind", dir, dir);
  }
  for (const name of ETC_FILES) args.push("--ro-bind-try", `/etc/${name}`, `/etc/${name}`);
  return args;
}

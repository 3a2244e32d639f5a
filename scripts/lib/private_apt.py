"""What scripts/fetch-qemu-builds and scripts/fetch-libvirt-tests share: messages, the command
line, the locked cache folder, and a private apt configuration for one Debian suite (its own
Dir::Etc with a one-line sources list, Dir::State, Dir::Cache and an EMPTY Dir::State::status,
so nothing of the system's apt state, /etc/apt, /var/lib/apt, /var/cache/apt or the dpkg
database, is read or written) on the mirror QEMU_BUILDS_MIRROR with keyring QEMU_BUILDS_KEYRING
(default: the system's Debian mirror and that entry's Signed-By, else Debian's keyring).
"""
import argparse, fcntl, glob, os, pwd, re, shlex, signal, subprocess, sys, time

PROG = os.path.basename(sys.argv[0])

class Failure(Exception):
    """A fatal error: run_main prints 'PROG: error: MESSAGE' and exits 1."""

def msg(text):
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)

def die(text):
    raise Failure(text)

def run_main(main):
    """main(argv); exit status 1 with the message on a Failure."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the cleanups run
    try:
        main(sys.argv[1:])
    except Failure as failure:
        msg(f"error: {failure}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)

def utc_now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()

def parse_args(argv, doc, env_var, name, positional=False):
    """(DEST, FORCE, ARGUMENTS) from [--dest DIR] [--force] [-h] and, if positional, [--] ARGUMENT...
    DEST defaults to $ENV_VAR, else ~/.cache/qemu-caps/NAME."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.error = lambda message: die(f"{message} (see --help)")
    parser.add_argument("-h", "--help", action="store_true")
    parser.add_argument("--dest")
    parser.add_argument("--force", action="store_true")
    if positional:
        parser.add_argument("rest", nargs="*")
    args = parser.parse_intermixed_args(argv)
    if args.help:
        print(doc.split("\nHow it works")[0])  # the part for users
        sys.exit(0)
    if args.dest is None:
        args.dest = os.environ.get(env_var) or os.path.join(home(), ".cache/qemu-caps", name)
    return args.dest, args.force, getattr(args, "rest", [])

def home():
    """$HOME; without it (cron, env -i) the password database's, as for qemu-caps itself."""
    try:
        return os.environ.get("HOME") or pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        die("HOME is not set and the password database has no home for this user")

def open_dest(dest):
    """DEST created, absolute with symlinks resolved, and locked: one run at a time per DEST
    (a second run waits, then finds the stamps)."""
    global _lock
    if not dest:
        die("empty --dest")
    try:
        os.makedirs(dest, exist_ok=True)
    except OSError:
        die(f"cannot create {dest}")
    dest = os.path.realpath(dest)
    _lock = open(os.path.join(dest, ".lock"), "w")
    fcntl.flock(_lock, fcntl.LOCK_EX)
    return dest

def detect_mirror():
    """(MIRROR, KEYRING): the overrides, else the system's entry for its own codename."""
    mirror, keyring = os.environ.get("QEMU_BUILDS_MIRROR", ""), os.environ.get("QEMU_BUILDS_KEYRING", "")
    release = read("/etc/os-release") if os.access("/etc/os-release", os.R_OK) else ""
    codename = re.search(r"^VERSION_CODENAME=(.*)$", release, re.M)
    codename = "".join(shlex.split(codename[1])) if codename else ""
    # deb822 .sources: the first stanza listing the system codename
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")) if codename and not mirror else []:
        for stanza in read(path).split("\n\n"):
            lines = [line.partition(":") for line in stanza.splitlines() if line[:1].strip()]
            fields = {key: value.split() for key, _, value in lines}
            uris, signed = fields.get("URIs", []), (fields.get("Signed-By") or [""])[0]
            if uris and codename in fields.get("Suites", []):
                mirror, keyring = uris[0], keyring or (signed if signed.startswith("/") else "")
                break
        if mirror:
            break
    # one-line format: deb [opts] URI SUITE COMPONENTS...
    entry = re.compile(rf"^[ \t]*deb[ \t].*[ \t]{codename or 'bookworm'}[ \t].*", re.M)
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        line = entry.search(read(path)) if not mirror and os.access(path, os.R_OK) else None
        if line:
            mirror = (re.sub(r"\[[^]]*\]", "", line[0], count=1).split()[1:] or [""])[0]
            signed = re.search(r"signed-by=([^] ]+)", line[0])
            keyring = keyring or (signed[1] if signed and signed[1].startswith("/") else "")
    mirror = re.sub("/$", "", mirror or "http://deb.debian.org/debian")
    keyring = keyring or "/usr/share/keyrings/debian-archive-keyring.gpg"
    if not os.access(keyring, os.R_OK):
        die(f"keyring {keyring} not readable (set QEMU_BUILDS_KEYRING)")
    return mirror, keyring

APT_CONF = """\
// private apt configuration of {prog} for Debian {suite}: nothing of the
// system's apt state is read or written (Dir::Etc::parts is ours and empty).
Dir::Etc "{work}/etc";
Dir::Etc::main "apt.conf";
Dir::Etc::parts "apt.conf.d";
Dir::Etc::sourcelist "sources.list";
Dir::Etc::sourceparts "sources.list.d";
Dir::Etc::preferences "preferences";
Dir::Etc::preferencesparts "preferences.d";
Dir::Etc::trusted "trusted.gpg";
Dir::Etc::trustedparts "trusted.gpg.d";
Dir::State "{work}/state";
Dir::State::status "{work}/state/status";
Dir::Cache "{work}/cache";
Dir::Log "{work}/log";
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
Acquire::Retries "3";
APT::Architecture "amd64";
APT::Architectures {{ "amd64"; }};
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT::Sandbox::User "{user}";
"""

class PrivateApt:
    """apt-get and apt-cache on `KIND [signed-by=KEYRING] MIRROR SUITE main` (KIND deb or
    deb-src), with their own configuration and state under WORK and their output in LOG."""

    def __init__(self, kind, suite, work, log, mirror, keyring):
        self.suite, self.log, self.mirror, self.keyring = suite, log, mirror, keyring
        for sub in ("etc/apt.conf.d", "etc/preferences.d", "etc/sources.list.d", "etc/trusted.gpg.d",
                    "state/lists/partial", "cache/archives/partial", "log"):
            os.makedirs(f"{work}/{sub}", exist_ok=True)
        for path, text in ((f"{work}/state/status", ""), (log, ""),
                           (f"{work}/etc/sources.list", f"{kind} [signed-by={keyring}] {mirror} {suite} main\n"),
                           (f"{work}/apt.conf", APT_CONF.format(prog=PROG, suite=suite, work=work,
                                                                user=pwd.getpwuid(os.getuid()).pw_name))):
            with open(path, "w") as f:
                f.write(text)
        self.env = dict(os.environ, APT_CONFIG=f"{work}/apt.conf")

    def run(self, *args, stdout=None):
        """ARGS with the private configuration; their output goes to the log unless STDOUT says otherwise."""
        with open(self.log, "a") as log:
            return subprocess.run(args, env=self.env, stdin=subprocess.DEVNULL, text=True,
                                  stdout=log if stdout is None else stdout, stderr=log)

    def fail(self, text):
        """Stop with TEXT after the last lines of the log."""
        sys.stderr.write("".join(read(self.log).splitlines(keepends=True)[-15:]))
        die(text)

    def update(self):
        """apt-get update; stop when the suite cannot be fetched or verified."""
        warned = r"^(W|E): .*(Failed to fetch|does not have a Release file|NO_PUBKEY|not signed)"
        if self.run("apt-get", "-q", "update").returncode or re.search(warned, read(self.log), re.M):
            self.fail(f"{self.suite}: apt-get update failed for '{self.mirror} {self.suite}' "
                      f"(suite unknown to the mirror, or keyring {self.keyring} cannot verify it?)")

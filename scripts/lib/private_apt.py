"""What scripts/fetch-qemu-builds, scripts/fetch-libvirt and scripts/fetch-libvirt-tests share:
messages, the command line, the locked cache folder, a private apt configuration for one Debian
suite (plus, optionally, its -updates and -security suites; its own Dir::Etc with a sources list, Dir::State, Dir::Cache and an EMPTY Dir::State::status,
so nothing of the system's apt state, /etc/apt, /var/lib/apt, /var/cache/apt or the dpkg
database, is read or written) on the mirror QEMU_BUILDS_MIRROR with keyring QEMU_BUILDS_KEYRING
(default: the system's Debian mirror and that entry's Signed-By, else Debian's keyring), and
unpacking .debs into a prefix that runs through its own dynamic loader.
"""
import argparse, fcntl, glob, os, pwd, re, shlex, shutil, signal, stat, subprocess, sys, time

TRIPLET = "x86_64-linux-gnu"
LOADERS = [f"lib/{TRIPLET}/ld-linux-x86-64.so.2", f"usr/lib/{TRIPLET}/ld-linux-x86-64.so.2",
           "lib64/ld-linux-x86-64.so.2", "usr/lib64/ld-linux-x86-64.so.2"]

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

def security_mirror(mirror):
    """Where Debian's -security suites are for MIRROR: $QEMU_BUILDS_SECURITY_MIRROR, else MIRROR
    with its /debian component replaced by /debian-security (deb.debian.org/debian and
    snapshot.debian.org/archive/debian/DATE both work so), else security.debian.org."""
    override = os.environ.get("QEMU_BUILDS_SECURITY_MIRROR", "")
    if override:
        return re.sub("/$", "", override)
    if re.search(r"/debian(/|$)", mirror):
        return re.sub(r"/debian(/|$)", r"/debian-security\1", mirror, count=1)
    return "http://security.debian.org/debian-security"

class PrivateApt:
    """apt-get and apt-cache on `KIND [signed-by=KEYRING] MIRROR SUITE main` (KIND deb or
    deb-src) and one such line per (MIRROR, SUITE) in MORE, with their own configuration and
    state under WORK and their output in LOG."""

    def __init__(self, kind, suite, work, log, mirror, keyring, more=()):
        self.suite, self.log, self.mirror, self.keyring = suite, log, mirror, keyring
        self.sources = [(mirror, suite)] + list(more)
        for sub in ("etc/apt.conf.d", "etc/preferences.d", "etc/sources.list.d", "etc/trusted.gpg.d",
                    "state/lists/partial", "cache/archives/partial", "log"):
            os.makedirs(f"{work}/{sub}", exist_ok=True)
        for path, text in ((f"{work}/state/status", ""), (log, ""),
                           (f"{work}/etc/sources.list", "".join(f"{kind} [signed-by={keyring}] {m} {s} main\n"
                                                                    for m, s in self.sources)),
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
            where = ", ".join(f"'{m} {s}'" for m, s in self.sources)
            self.fail(f"{self.suite}: apt-get update failed for {where} "
                      f"(suite unknown to the mirror, or keyring {self.keyring} cannot verify it?)")

def extract(label, debs, prefix):
    """dpkg-deb -x every deb into PREFIX; absolute symlinks made relative inside PREFIX,
    setuid/setgid bits and documentation dropped. LABEL starts the messages."""
    msg(f"{label}: extracting {len(debs)} packages")
    for deb in debs:
        if subprocess.run(["dpkg-deb", "-x", deb, prefix], stdout=sys.stderr).returncode:
            die(f"{label}: dpkg-deb -x {os.path.basename(deb)} failed")
    for top, dirs, files in os.walk(prefix):
        for path in (os.path.join(top, name) for name in dirs + files):
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode) and os.readlink(path).startswith("/"):
                target = "../" * os.path.relpath(path, prefix).count("/") + os.readlink(path)[1:]
                os.unlink(path)
                os.symlink(target, path)
            elif stat.S_ISREG(mode) and mode & 0o6000:  # old setuid helpers (passwd, chfn, ...)
                os.chmod(path, stat.S_IMODE(mode) & ~0o6000)
    for sub in ("doc", "man", "info", "lintian", "locale"):
        shutil.rmtree(f"{prefix}/usr/share/{sub}", ignore_errors=True)

def find_loader(label, prefix):
    """The prefix's dynamic loader, relative to PREFIX."""
    loader = next((c for c in LOADERS if os.access(f"{prefix}/{c}", os.X_OK)), None)
    return loader or die(f"{label}: no ld-linux-x86-64.so.2 in the extracted libc6")

def check_resolves(label, prefix, loader, files):
    """Stop unless every shared library each of FILES needs resolves inside PREFIX, through
    PREFIX's LOADER and its lib/TRIPLET and usr/lib/TRIPLET."""
    libpath = f"{prefix}/lib/{TRIPLET}:{prefix}/usr/lib/{TRIPLET}"
    for f in files:
        try:
            done = subprocess.run([f"{prefix}/{loader}", "--inhibit-cache", "--library-path", libpath, "--list", f],
                                  text=True, errors="replace", timeout=60, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except (OSError, subprocess.TimeoutExpired) as error:
            die(f"{label}: cannot resolve the libraries of {os.path.relpath(f, prefix)}: {error}")
        if done.returncode:
            die(f"{label}: cannot resolve the libraries of {os.path.relpath(f, prefix)}: {done.stdout.rstrip()}")
        bad = [line for line in done.stdout.rstrip("\n").split("\n") if "linux-vdso.so" not in line
               and "statically linked" not in line
               and f"=> {prefix}/" not in line and not line.lstrip().startswith(f"{prefix}/")]
        if bad:
            die(f"{label}: {os.path.relpath(f, prefix)} needs libraries from outside the prefix:\n" + "\n".join(bad))

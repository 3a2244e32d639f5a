#!/usr/bin/python3
"""Complete a command line in a real zsh or fish, with only the given completion file loaded.

Usage: shell-complete.py zsh|fish COMPLETION-FILE DIRECTORY LINE

Loads COMPLETION-FILE (zsh: the _qemu-caps function, put first on fpath and found by
compinit; fish: sourced) into a shell started without the user's configuration, completes
LINE in DIRECTORY as if Tab were pressed at its end, and prints every candidate the shell
offers, one per line, without descriptions. zsh runs interactively on a pseudo-terminal
(its completion system needs the line editor), and its list is read from the screen; fish answers `complete -C LINE`. Exit status 2 when the shell does not
answer in time.
"""
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def fish(script, directory, line):
    result = subprocess.run(
        ["fish", "--no-config", "-c", "source $argv[1]; and complete -C $argv[2]", script, line],
        cwd=directory, capture_output=True, text=True, timeout=30)
    if result.returncode != 0 or result.stderr:
        sys.exit("fish failed (%d): %s" % (result.returncode, result.stderr))
    return [entry.split("\t", 1)[0] for entry in result.stdout.splitlines() if entry]


def read_until(descriptor, done, deadline):
    """Read from the terminal until done(text) holds and it has been quiet for 0.3 s."""
    text = b""
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([descriptor], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(descriptor, 65536)
            except OSError:
                break
            if not chunk:
                break
            text += chunk
            quiet_since = time.monotonic()
        elif done(text) and time.monotonic() - quiet_since > 0.3:
            return text.decode(errors="replace")
    sys.exit("zsh did not answer in time; it printed: %r" % text[-2000:])


def zsh(script, directory, line):
    functions = tempfile.mkdtemp(prefix="zsh-completion-")
    try:
        shutil.copy(script, os.path.join(functions, "_qemu-caps"))
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "dumb", "COLUMNS": "250",
                       "LINES": "1000", "HOME": functions, "ZDOTDIR": functions}
        if "XDG_CACHE_HOME" in os.environ:
            environment["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]
        pid, terminal = pty.fork()
        if pid == 0:
            os.chdir(directory)
            os.execve("/usr/bin/zsh", ["zsh", "-f", "-i"], environment)
        try:
            deadline = time.monotonic() + 30
            setup = ("PS1='%%%% '; fpath=(%s $fpath); autoload -U compinit; compinit -u -D; "
                     "setopt nolistambiguous nolistrowsfirst; LISTMAX=0; print READY''MARK\n" % functions)
            os.write(terminal, setup.encode())
            read_until(terminal, lambda text: b"READYMARK" in text, deadline)
            os.write(terminal, (line + "\t").encode())
            listing = read_until(terminal, lambda text: b"\a" in text or b"\n" in text, deadline)
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    finally:
        shutil.rmtree(functions)
    # The list follows the bell zsh rings for an ambiguous completion, one candidate per line,
    # until the line editor redraws the prompt (a line with the typed command, or "%").
    listing = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", listing).replace("\r", "")
    after = listing.split("\a", 1)[1] if "\a" in listing else ""
    candidates = []
    for entry in after.split("\n")[1:]:
        if not entry.strip() or entry.startswith(("%", "<")) or "qemu-caps" in entry:
            break
        # "name -- description" one per line, or bare names in columns.
        names = [entry.split(" -- ", 1)[0]] if " -- " in entry else entry.split()
        candidates += [name.strip().rstrip("/") for name in names]
    return candidates


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("zsh", "fish"):
        sys.exit(__doc__)
    shell, script, directory, line = sys.argv[1:]
    for candidate in (zsh if shell == "zsh" else fish)(os.path.abspath(script), directory, line):
        print(candidate)


main()

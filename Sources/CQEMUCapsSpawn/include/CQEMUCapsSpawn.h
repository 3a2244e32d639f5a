#ifndef QEMU_CAPS_CSPAWN_H
#define QEMU_CAPS_CSPAWN_H

#include <sys/types.h>

/// Start `path` with `argv` and `envp` (NULL-terminated) as the leader of a new
/// process group, standard input, output and error on `in`, `out` and `err`,
/// every signal at its default disposition and unblocked, and PR_SET_PDEATHSIG
/// set to SIGKILL, so that the child dies with the thread that started it.
///
/// Returns the child's pid, or -1 with the error number in `*error` (also when
/// exec itself failed in the child: the child reports it through a pipe and
/// exits, and has been reaped when this returns).
pid_t qemu_caps_spawn(const char *path, char *const argv[], char *const envp[], int in, int out, int err,
                      int *error);

/// Send `signal` to every process of the process group `group`: kill(-group, signal).
/// Returns 0 or -1 with errno set.
int qemu_caps_kill_group(pid_t group, int signal);

/// Whether `pid` (a child) has exited, without reaping it (waitid with WNOWAIT).
/// Returns 1 when it has exited, 0 when it still runs, -1 with errno set on error.
int qemu_caps_has_exited(pid_t pid);

#endif

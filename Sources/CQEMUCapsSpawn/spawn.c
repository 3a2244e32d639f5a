// Why this file exists, rather than posix_spawn:
//
// A QEMU started by qemu-caps must not outlive it, even when qemu-caps is killed
// with SIGKILL and cannot clean up. The kernel does that for us when the child
// sets PR_SET_PDEATHSIG before exec; posix_spawn has no attribute for it (and
// Swift cannot call the variadic prctl), so the child is started here with
// vfork and execve. Between vfork and exec the child calls only async-signal-safe
// system call wrappers (the parent is multithreaded) and writes only its own
// locals.
//
// vfork rather than fork, as posix_spawn does (clone with CLONE_VM|CLONE_VFORK):
// fork copies the page tables of a multithreaded process and makes its pages
// copy-on-write, which cost about 1.4 ms per QEMU here (scripts/bench, probe of
// QEMU 7.2's 59 machine types with --jobs 1: 1.62 s with fork, 1.54 s with vfork).
// The child shares our memory until it execs, so every signal is blocked around
// vfork (no handler of ours may run in the child); the child gets its own copy
// of the dispositions and resets them, and the mask, before exec.
//
// The death signal is tied to the *thread* that forked, not to the process: if
// that thread exits, the child gets SIGKILL even though qemu-caps still runs.
// qemu-caps starts each QEMU inside a scoped session (QEMULauncher) that spawns,
// talks to and reaps QEMU on one thread within one call, so the forking thread
// always outlives its child; callers that hand a running QEMU to another thread
// must keep the starting thread alive until it is reaped.
//
// The child also becomes the leader of its own process group, so that whatever
// QEMU forks (helpers, or a misbehaving fake) is killed with it: qemu-caps sends
// SIGKILL to the whole group at the end of each session and on signals.

#define _GNU_SOURCE
#include "CQEMUCapsSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void report_and_exit(int pipe_fd, int error) {
  ssize_t ignored = write(pipe_fd, &error, sizeof error);
  (void)ignored;
  _exit(127);
}

pid_t qemu_caps_spawn(const char *path, char *const argv[], char *const envp[], int in, int out, int err,
                      int *error) {
  int status_pipe[2];
  if (pipe2(status_pipe, O_CLOEXEC) != 0) {
    *error = errno;
    return -1;
  }
  pid_t parent = getpid();
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  pid_t pid = vfork();
  if (pid < 0) {
    *error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(status_pipe[0]);
    close(status_pipe[1]);
    return -1;
  }
  if (pid == 0) {
    // The child: async-signal-safe calls only.
    int report = status_pipe[1];
    if (setpgid(0, 0) != 0) report_and_exit(report, errno);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) report_and_exit(report, errno);
    // The parent may have died between vfork and prctl: then nobody would kill us.
    if (getppid() != parent) _exit(127);
    // Move the three descriptors above 2 first, so that dup2 never clobbers one
    // of them and always clears close-on-exec (dup2 of a descriptor onto itself does not).
    int sources[3] = {in, out, err};
    int moved[3];
    for (int i = 0; i < 3; i++) {
      moved[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, 3);
      if (moved[i] < 0) report_and_exit(report, errno);
    }
    for (int i = 0; i < 3; i++) {
      if (dup2(moved[i], i) < 0) report_and_exit(report, errno);
    }
    // Default dispositions and an empty mask: our blocked SIGINT/SIGTERM must not reach QEMU.
    struct sigaction action;
    action.sa_handler = SIG_DFL;
    action.sa_flags = 0;
    sigemptyset(&action.sa_mask);
    for (int signal = 1; signal < NSIG; signal++) {
      if (signal != SIGKILL && signal != SIGSTOP) sigaction(signal, &action, NULL);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    execve(path, argv, envp);
    report_and_exit(report, errno);
  }
  // The parent, resumed once the child has exec'd or exited. The child made itself
  // a process group leader before either, so kill(-pid) reaches it from now on.
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  close(status_pipe[1]);
  int child_error = 0;
  ssize_t count;
  do {
    count = read(status_pipe[0], &child_error, sizeof child_error);
  } while (count < 0 && errno == EINTR);
  close(status_pipe[0]);
  if (count == (ssize_t)sizeof child_error) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    *error = child_error;
    return -1;
  }
  return pid;
}

int qemu_caps_kill_group(pid_t group, int signal) { return kill(-group, signal); }

int qemu_caps_has_exited(pid_t pid) {
  siginfo_t info;
  info.si_pid = 0;
  if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return -1;
  return info.si_pid == pid ? 1 : 0;
}

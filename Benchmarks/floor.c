/*
 * floor: the least work any QMP prober has to do for a set of machine types, as a
 * yardstick for `qemu-caps probe`. Built by scripts/bench with `cc -O2 -pthread`.
 *
 *   floor [--jobs N] [--timeout SECONDS] [--sandbox] QEMU MACHINE...
 *
 * For every machine type it starts QEMU directly (posix_spawn, no shell) with the
 * flags qemu-caps uses,
 *
 *   QEMU -S -no-user-config -nodefaults -display none -accel tcg -machine NAME -qmp stdio
 *
 * plus, with --sandbox, the seccomp sandbox qemu-caps adds when the build has it
 * (`-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny`),
 * with QMP on a socketpair as standard input and output (standard error to
 * /dev/null), reads the greeting, sends qmp_capabilities, waits for its reply, sends
 * quit, reads until end of file and reaps the process. N machine types run at a time
 * (default 1), one thread each. Nothing is parsed beyond finding the line that
 * carries "QMP" or "return".
 *
 * A QEMU that does not answer within the timeout (default 30 s), or any error, gets
 * SIGKILL and is reaped; SIGINT/SIGTERM/SIGHUP kill every running QEMU, which is
 * reaped, and then floor dies of the signal, so none is left behind. Prints "floor: N machine types, jobs J, S s" on standard
 * error. Exit status 0 when every machine type went through the whole exchange, 1
 * otherwise (each failure is named), 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { MAX_JOBS = 256 };

static const char *qemu;
static char **machines;
static int machine_count;
static int timeout_ms = 30000;
static int sandbox;
static atomic_int next_machine;
static atomic_int failures;
static _Atomic pid_t running[MAX_JOBS];
static atomic_int stopping; /* the signal that stops the run, 0 while running */

/* Kill every running QEMU and stop handing out machine types; the workers reap
   their QEMU and return, then main() dies of the signal. A worker that has just
   started a QEMU stores its pid before it reads `stopping`, and this handler sets
   `stopping` before it reads the pids, so each QEMU is killed by one or the other. */
static void on_signal(int signal_number) {
  atomic_store(&stopping, signal_number);
  for (int i = 0; i < MAX_JOBS; i++) {
    pid_t pid = atomic_load(&running[i]);
    if (pid > 0) kill(pid, SIGKILL);
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A line reader over the QMP socket. */
struct session {
  int fd;
  char buffer[65536];
  size_t used;
  double deadline;
};

/* Read into the buffer; 1 on data, 0 on end of file, -1 on error or timeout. */
static int fill(struct session *session) {
  if (session->used == sizeof session->buffer) session->used = 0; /* a huge line: keep its tail */
  for (;;) {
    int remaining = (int)((session->deadline - now()) * 1000);
    if (remaining <= 0) return -1;
    struct pollfd poll_fd = {.fd = session->fd, .events = POLLIN};
    int ready = poll(&poll_fd, 1, remaining);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return -1;
    ssize_t n = read(session->fd, session->buffer + session->used, sizeof session->buffer - session->used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == ECONNRESET) return 0; /* QEMU exited with our input unread: an end too */
    if (n < 0) return -1;
    if (n == 0) return 0;
    session->used += (size_t)n;
    return 1;
  }
}

/* Consume lines until one contains `needle`; 1 found, 0 end of file, -1 error. */
static int wait_for_line(struct session *session, const char *needle) {
  for (;;) {
    char *newline;
    while ((newline = memchr(session->buffer, '\n', session->used))) {
      size_t length = (size_t)(newline - session->buffer) + 1;
      *newline = 0;
      int found = strstr(session->buffer, needle) != NULL;
      memmove(session->buffer, newline + 1, session->used - length);
      session->used -= length;
      if (found) return 1;
    }
    int status = fill(session);
    if (status <= 0) return status;
  }
}

static int send_line(int fd, const char *line) {
  size_t length = strlen(line), done = 0;
  while (done < length) {
    ssize_t n = write(fd, line + done, length - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    done += (size_t)n;
  }
  return 0;
}

/* One machine type, start to reap. Returns NULL on success, else what failed. */
static const char *probe(const char *machine, int slot) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return "socketpair";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pair[1], 0);
  posix_spawn_file_actions_adddup2(&actions, pair[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  char *argv[] = {(char *)qemu, "-S", "-no-user-config", "-nodefaults", "-display", "none", "-accel", "tcg",
                  "-machine", (char *)machine, "-qmp", "stdio", NULL, NULL, NULL};
  if (sandbox) {
    argv[12] = "-sandbox";
    argv[13] = "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";
  }
  pid_t pid;
  int error = posix_spawn(&pid, qemu, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pair[1]);
  if (error) {
    close(pair[0]);
    return "posix_spawn";
  }
  atomic_store(&running[slot], pid);
  if (atomic_load(&stopping)) kill(pid, SIGKILL);
  struct session session = {.fd = pair[0], .used = 0, .deadline = now() + timeout_ms / 1000.0};
  const char *failure = NULL;
  if (wait_for_line(&session, "\"QMP\"") != 1)
    failure = "no QMP greeting";
  else if (send_line(pair[0], "{\"execute\":\"qmp_capabilities\"}\n") != 0 ||
           wait_for_line(&session, "\"return\"") != 1)
    failure = "no reply to qmp_capabilities";
  else if (send_line(pair[0], "{\"execute\":\"quit\"}\n") != 0)
    failure = "cannot send quit";
  else {
    int status;
    while ((status = fill(&session)) == 1) session.used = 0; /* the reply, SHUTDOWN: until EOF */
    if (status < 0) failure = "no end of file after quit";
  }
  close(pair[0]);
  if (failure) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  atomic_store(&running[slot], 0);
  if (!failure && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) failure = "QEMU did not exit with status 0";
  return failure;
}

static void *worker(void *argument) {
  int slot = (int)(long)argument;
  for (;;) {
    int index = atomic_fetch_add(&next_machine, 1);
    if (index >= machine_count || atomic_load(&stopping)) return NULL;
    const char *failure = probe(machines[index], slot);
    if (failure && !atomic_load(&stopping)) {
      fprintf(stderr, "floor: machine type %s: %s\n", machines[index], failure);
      atomic_fetch_add(&failures, 1);
    }
  }
}

int main(int argc, char **argv) {
  int jobs = 1, index = 1;
  for (; index < argc && !strncmp(argv[index], "--", 2); index++) {
    if (!strcmp(argv[index], "--jobs") && index + 1 < argc)
      jobs = atoi(argv[++index]);
    else if (!strcmp(argv[index], "--timeout") && index + 1 < argc)
      timeout_ms = atoi(argv[++index]) * 1000;
    else if (!strcmp(argv[index], "--sandbox"))
      sandbox = 1;
    else
      break;
  }
  if (argc - index < 2 || jobs < 1 || jobs > MAX_JOBS || timeout_ms <= 0) {
    fprintf(stderr, "usage: floor [--jobs N] [--timeout SECONDS] [--sandbox] QEMU MACHINE...\n");
    return 2;
  }
  qemu = argv[index];
  machines = argv + index + 1;
  machine_count = argc - index - 1;
  if (jobs > machine_count) jobs = machine_count;
  signal(SIGPIPE, SIG_IGN);
  struct sigaction action = {0};
  action.sa_handler = on_signal;
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);

  double start = now();
  pthread_t threads[MAX_JOBS];
  for (int i = 0; i < jobs; i++) {
    if (pthread_create(&threads[i], NULL, worker, (void *)(long)i) != 0) {
      perror("floor: pthread_create");
      jobs = i;
      atomic_store(&next_machine, machine_count); /* stop handing out work */
      atomic_fetch_add(&failures, 1);
      break;
    }
  }
  for (int i = 0; i < jobs; i++) pthread_join(threads[i], NULL);
  int signal_number = atomic_load(&stopping);
  if (signal_number) {
    signal(signal_number, SIG_DFL);
    raise(signal_number);
    return 128 + signal_number;
  }
  fprintf(stderr, "floor: %d machine types, jobs %d, %.3f s\n", machine_count, jobs, now() - start);
  return atomic_load(&failures) ? 1 : 0;
}

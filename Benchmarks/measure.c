/*
 * measure: run one command several times and print, per run, its wall time, exit
 * status and peak memory. Used by scripts/bench; built there with `cc -O2`.
 *
 *   measure [--runs N] [--warmup N] [--timeout SECONDS] [--self-rss LIB]
 *           [--stdout FILE] [--stderr FILE] [--no-subreaper] -- COMMAND [ARGS...]
 *
 * One line per measured run (warm-up runs are not printed):
 *
 *   run=1 wall_s=0.812345 status=0 self_rss_kb=17456 tree_rss_kb=48120 children_rss_kb=48120 leaked=0
 *
 * wall_s       CLOCK_MONOTONIC from just before posix_spawn() to wait4() returning
 *              the command: no shell, no `date`, so millisecond figures are exact.
 * status       exit status, or 128+signal.
 * self_rss_kb  peak RSS of the command's own process, without any descendant; -1
 *              when unknown. See --self-rss below for how and why.
 * tree_rss_kb  ru_maxrss from wait4(): what GNU time's %M reports. Linux fills it
 *              with getrusage(RUSAGE_BOTH) of the child (kernel/exit.c,
 *              wait_task_zombie), i.e. max(the child's own peak, the peak of the
 *              largest descendant it waited for). For qemu-caps that includes the
 *              QEMU processes it reaped, so it is NOT the prober's own footprint.
 * children_rss_kb  getrusage(RUSAGE_CHILDREN).ru_maxrss measured inside the
 *              command at exit (the largest descendant it reaped); -1 when unknown.
 * leaked       processes the command left behind: this program is a child
 *              subreaper (PR_SET_CHILD_SUBREAPER), so every orphaned descendant
 *              (a daemonized or forgotten QEMU) is re-parented to it. It reaps them
 *              as soon as they exit, like a normal init; whatever is still alive
 *              when the command has exited is counted, killed with SIGKILL and
 *              reaped, so nothing is left running.
 *
 * --self-rss LIB  preload LIB (Benchmarks/selfrss.c) into the command. Its
 *              destructor calls getrusage(RUSAGE_SELF) when the process exits and
 *              appends "pid self_kb children_kb" to a private file; this program
 *              takes the record whose pid is the command's (descendants that
 *              inherit the preload write records with other pids, which are
 *              ignored; the library also removes LD_PRELOAD from its environment so
 *              normally they do not load it at all).
 * --no-subreaper  leave orphans to this system's init (pid 1), as a command run from
 *              a shell would. On machines whose init reaps orphans late, programs
 *              that wait for a daemonized child to disappear (libvirt's
 *              virProcessKillPainfully polls kill(pid, 0) every 200 ms) are slowed
 *              down by that init; with the subreaper they are not.
 *
 * Exit status: 0 when every run ran (whatever the command's status), 2 on usage or
 * system errors, 3 when a run timed out or leaked processes. On SIGINT, SIGTERM or
 * SIGHUP the signal is passed to the command (which runs in its own process group,
 * with standard input from /dev/null, so it gets each signal once), which is waited
 * for and cleaned up after; then measure dies of the same signal.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t current_child;
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t timed_out;

static void on_signal(int signal_number) {
  interrupted = signal_number;
  if (current_child > 0) kill(current_child, signal_number);
}

static void on_alarm(int signal_number) {
  (void)signal_number;
  timed_out = 1;
  if (current_child > 0) kill(current_child, SIGKILL);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) {
  fprintf(stderr, "measure: %s: %s\n", what, strerror(errno));
  exit(2);
}

/* Live children of this process, reaping the ones that have exited; names the live
   ones on standard error when `report`, and kills them when `kill_them`. */
static int live_children(int report, int kill_them) {
  int live = 0;
  pid_t self = getpid();
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  DIR *proc = opendir("/proc");
  if (!proc) return 0;
  struct dirent *entry;
  while ((entry = readdir(proc))) {
    pid_t pid = (pid_t)atoi(entry->d_name);
    if (pid <= 0) continue;
    char path[64], buffer[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n <= 0) continue;
    buffer[n] = 0;
    /* pid (comm) state ppid ...; comm may contain spaces and parentheses. */
    char *open_paren = strchr(buffer, '('), *close_paren = strrchr(buffer, ')');
    if (!open_paren || !close_paren || close_paren < open_paren) continue;
    char state = 0;
    int ppid = 0;
    if (sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2 || ppid != self || state == 'Z') continue;
    live++;
    if (report) {
      *close_paren = 0;
      fprintf(stderr, "measure: process %d (%s) was left behind; killing it\n", pid, open_paren + 1);
    }
    if (kill_them) {
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
    }
  }
  closedir(proc);
  return live;
}

/* Processes the command left behind. Orphans that are already exiting (killed just
   before the command ended) get half a second to do so; whatever still lives then
   is leaked: it is named, killed and reaped. */
static int kill_leftovers(void) {
  for (int attempt = 0; attempt < 50 && live_children(0, 0) > 0; attempt++) {
    struct timespec pause = {0, 10 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  return live_children(1, 1);
}

static long read_self_record(const char *file, pid_t pid, long *children_kb) {
  long self_kb = -1;
  *children_kb = -1;
  FILE *records = fopen(file, "r");
  if (!records) return -1;
  long record_pid, record_self, record_children;
  while (fscanf(records, "%ld %ld %ld", &record_pid, &record_self, &record_children) == 3) {
    if (record_pid == pid) {
      self_kb = record_self;
      *children_kb = record_children;
    }
  }
  fclose(records);
  return self_kb;
}

int main(int argc, char **argv) {
  int runs = 1, warmup = 0, timeout = 600, subreaper = 1;
  const char *self_rss_library = NULL, *stdout_file = "/dev/null", *stderr_file = NULL;
  int index = 1;
  for (; index < argc; index++) {
    const char *argument = argv[index];
    if (!strcmp(argument, "--")) {
      index++;
      break;
    } else if (!strcmp(argument, "--no-subreaper")) {
      subreaper = 0;
    } else if (index + 1 < argc && !strcmp(argument, "--runs")) {
      runs = atoi(argv[++index]);
    } else if (index + 1 < argc && !strcmp(argument, "--warmup")) {
      warmup = atoi(argv[++index]);
    } else if (index + 1 < argc && !strcmp(argument, "--timeout")) {
      timeout = atoi(argv[++index]);
    } else if (index + 1 < argc && !strcmp(argument, "--self-rss")) {
      self_rss_library = argv[++index];
    } else if (index + 1 < argc && !strcmp(argument, "--stdout")) {
      stdout_file = argv[++index];
    } else if (index + 1 < argc && !strcmp(argument, "--stderr")) {
      stderr_file = argv[++index];
    } else {
      fprintf(stderr, "measure: unknown option %s\n", argument);
      return 2;
    }
  }
  if (index >= argc || runs < 1 || warmup < 0 || timeout < 1) {
    fprintf(stderr,
            "usage: measure [--runs N] [--warmup N] [--timeout S] [--self-rss LIB] [--stdout F] [--stderr F] "
            "[--no-subreaper] -- COMMAND [ARGS...]\n");
    return 2;
  }
  char **command = argv + index;

  if (subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) die("prctl(PR_SET_CHILD_SUBREAPER)");
  struct sigaction action = {0};
  action.sa_handler = on_signal;
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
  action.sa_handler = on_alarm;
  sigaction(SIGALRM, &action, NULL);

  /* The environment of the command: ours, plus the preload when asked. */
  char records_file[] = "/tmp/measure-rss-XXXXXX";
  char **environment = environ;
  if (self_rss_library) {
    int fd = mkstemp(records_file);
    if (fd < 0) die("mkstemp");
    close(fd);
    size_t count = 0;
    while (environ[count]) count++;
    environment = calloc(count + 3, sizeof *environment);
    if (!environment) die("calloc");
    size_t out = 0;
    for (size_t i = 0; i < count; i++) {
      if (strncmp(environ[i], "LD_PRELOAD=", 11) && strncmp(environ[i], "SELFRSS_FILE=", 13))
        environment[out++] = environ[i];
    }
    if (asprintf(&environment[out++], "LD_PRELOAD=%s", self_rss_library) < 0) die("asprintf");
    if (asprintf(&environment[out++], "SELFRSS_FILE=%s", records_file) < 0) die("asprintf");
    environment[out] = NULL;
  }

  int failed = 0;
  for (int run = 1 - warmup; run <= runs && !interrupted; run++) {
    if (self_rss_library && truncate(records_file, 0) != 0) die("truncate");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, stdout_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (stderr_file) posix_spawn_file_actions_addopen(&actions, 2, stderr_file, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGALRM);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    /* Its own process group: a ^C reaches it once, forwarded by on_signal. */
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

    timed_out = 0;
    pid_t pid;
    double start = now();
    int error = posix_spawnp(&pid, command[0], &actions, &attributes, command, environment);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error) {
      fprintf(stderr, "measure: cannot start %s (or open its --stdout/--stderr file): %s\n", command[0],
              strerror(error));
      if (self_rss_library) unlink(records_file);
      return 2;
    }
    current_child = pid;
    alarm((unsigned)timeout);
    int status = 0;
    struct rusage usage;
    double wall = 0;
    for (;;) {
      struct rusage any_usage;
      int any_status;
      pid_t reaped = wait4(-1, &any_status, 0, &any_usage);
      if (reaped < 0) {
        if (errno == EINTR) continue;
        die("wait4");
      }
      if (reaped == pid) {
        wall = now() - start;
        status = any_status;
        usage = any_usage;
        break;
      }
      /* An orphaned descendant that has exited: reaped at once, as by a good init. */
    }
    alarm(0);
    current_child = 0;
    int leaked = kill_leftovers();
    long children_kb = -1;
    long self_kb = self_rss_library ? read_self_record(records_file, pid, &children_kb) : -1;
    int exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (timed_out) fprintf(stderr, "measure: %s timed out after %d s\n", command[0], timeout);
    if (timed_out || leaked) failed = 1;
    if (run >= 1) {
      printf("run=%d wall_s=%.6f status=%d self_rss_kb=%ld tree_rss_kb=%ld children_rss_kb=%ld leaked=%d\n", run,
             wall, exit_status, self_kb, usage.ru_maxrss, children_kb, leaked);
      fflush(stdout);
    }
  }
  if (self_rss_library) unlink(records_file);
  if (interrupted) {
    /* Die of the same signal, so that a calling shell stops too (it treats a child
       that exits normally after SIGINT as having handled it). */
    signal(interrupted, SIG_DFL);
    raise(interrupted);
    return 128 + interrupted;
  }
  return failed ? 3 : 0;
}

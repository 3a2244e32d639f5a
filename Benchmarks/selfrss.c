/*
 * selfrss: a preload library that reports the peak RSS of the process it is loaded
 * into, that process alone. Built by scripts/bench with
 * `cc -O2 -shared -fPIC`; Benchmarks/measure.c sets LD_PRELOAD and SELFRSS_FILE.
 *
 * Why not GNU time (`/usr/bin/time -f %M`): time reads ru_maxrss from wait4(), and
 * Linux fills that with getrusage(RUSAGE_BOTH) of the child: the maximum of the
 * child's own peak and the peaks of every descendant the child waited for
 * (signal->cmaxrss). qemu-caps reaps each QEMU it starts, so %M is
 * max(qemu-caps, largest QEMU), which for a small prober is QEMU's figure.
 *
 * What this does instead: at exit (an ELF destructor, which runs from exit() after
 * the program's atexit handlers, i.e. after all of its work), it calls
 * getrusage(RUSAGE_SELF). For RUSAGE_SELF the kernel reports
 * max(signal->maxrss, mm->hiwater_rss): the high-water mark of this process's own
 * address space (all threads share it) and of threads that already exited, and
 * nothing of its children (those are RUSAGE_CHILDREN, written alongside for
 * comparison). The high-water mark is monotonic, so reading it at exit gives the
 * peak of the whole run. Polling /proc/PID/status VmHWM from outside would give
 * the same figure but can miss growth between the last poll and exit.
 *
 * A record "pid self_kb children_kb\n" is appended to $SELFRSS_FILE (one write,
 * O_APPEND). The constructor removes LD_PRELOAD and SELFRSS_FILE from the
 * environment so the processes the program starts (QEMU) do not load the library;
 * should one inherit it anyway, its record carries its own pid and is ignored.
 * Not reported: a process that ends through _exit() or a signal (measure.c then
 * prints -1).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char records_file[4096];

__attribute__((constructor)) static void selfrss_start(void) {
  const char *file = getenv("SELFRSS_FILE");
  if (file && strlen(file) < sizeof records_file) strcpy(records_file, file);
  unsetenv("SELFRSS_FILE");
  unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void selfrss_report(void) {
  if (!records_file[0]) return;
  struct rusage self, children;
  if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &children) != 0) return;
  char line[96];
  int length = snprintf(line, sizeof line, "%ld %ld %ld\n", (long)getpid(), self.ru_maxrss, children.ru_maxrss);
  int fd = open(records_file, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t written = write(fd, line, (size_t)length);
  (void)written;
  close(fd);
}

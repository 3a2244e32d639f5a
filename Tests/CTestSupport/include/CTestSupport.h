#ifndef QEMU_CAPS_CTESTSUPPORT_H
#define QEMU_CAPS_CTESTSUPPORT_H
/// Make this process the reaper of its orphaned descendants, so that a QEMU left
/// behind by a qemu-caps child process is re-parented here, where tests see it.
/// Returns 0 on success (prctl is variadic and cannot be called from Swift).
int qemu_caps_become_child_subreaper(void);
/// Make a pipe whose two ends close on exec (`pipe2(O_CLOEXEC)`, which Swift's
/// Glibc module does not import), so that a child started by another test thread
/// cannot inherit them and hold them open. Returns 0 on success, -1 and errno.
int qemu_caps_pipe_cloexec(int descriptors[2]);
#endif

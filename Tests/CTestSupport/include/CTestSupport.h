#ifndef QEMU_CAPS_CTESTSUPPORT_H
#define QEMU_CAPS_CTESTSUPPORT_H
/// Make this process the reaper of its orphaned descendants, so that a QEMU left
/// behind by a qemu-caps child process is re-parented here, where tests see it.
/// Returns 0 on success (prctl is variadic and cannot be called from Swift).
int qemu_caps_become_child_subreaper(void);
#endif

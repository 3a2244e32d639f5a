// The `QEMUCapsProbe` library product: asking a QEMU binary over QMP.
//
// `import QEMUCapsProbe` gives everything of `QEMUCaps` plus the prober
// (``Prober``), recording and replaying QMP sessions, the per-user
// ``ProbeCache``, the QEMU launcher and the QMP client it is built on.
@_exported import QEMUCaps
@_exported import QEMUCapsLauncher
@_exported import QEMUCapsQMP

#ifndef QEMU_CAPS_CNETTLE_SHIM_H
#define QEMU_CAPS_CNETTLE_SHIM_H
// SHA-256 of QEMU binaries, from GNU Nettle (pkg-config nettle, apt nettle-dev).
#include <nettle/sha2.h>
#endif

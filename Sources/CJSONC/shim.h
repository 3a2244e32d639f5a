#ifndef QEMU_CAPS_CJSONC_SHIM_H
#define QEMU_CAPS_CJSONC_SHIM_H
// A bare `header "json.h"` in the modulemap is not found on Debian; include
// json-c through its install prefix instead.
#include <json-c/json.h>
#endif

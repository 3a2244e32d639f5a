#define _GNU_SOURCE
#include "CTestSupport.h"
#include <fcntl.h>
#include <unistd.h>

int qemu_caps_pipe_cloexec(int descriptors[2]) {
  return pipe2(descriptors, O_CLOEXEC);
}

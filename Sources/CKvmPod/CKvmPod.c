#define _GNU_SOURCE
#include <fcntl.h>
#include "CKvmPod.h"

const int ckvmpod_o_path = O_PATH;

dev_t ckvmpod_makedev(unsigned int major, unsigned int minor) { return makedev(major, minor); }

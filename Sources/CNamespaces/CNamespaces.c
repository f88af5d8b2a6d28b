#define _GNU_SOURCE
#include <sched.h>
#include "CNamespaces.h"

const int cnamespaces_clone_newns = CLONE_NEWNS;

int cnamespaces_unshare(int flags) { return unshare(flags); }
int cnamespaces_setns(int fd, int nstype) { return setns(fd, nstype); }

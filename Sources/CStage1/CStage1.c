#define _GNU_SOURCE
#include <sched.h>
#include <sys/prctl.h>
#include "CStage1.h"

const int cstage1_clone_newns = CLONE_NEWNS;

int cstage1_unshare(int flags) { return unshare(flags); }
int cstage1_setns(int fd, int nstype) { return setns(fd, nstype); }
int cstage1_set_parent_death_signal(int signal) { return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL); }

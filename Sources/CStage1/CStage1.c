#define _GNU_SOURCE
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CStage1.h"

const int cstage1_clone_newns = CLONE_NEWNS;
const int cstage1_clone_newuts = CLONE_NEWUTS;
const int cstage1_clone_newipc = CLONE_NEWIPC;
const int cstage1_clone_newpid = CLONE_NEWPID;
const int cstage1_clone_newnet = CLONE_NEWNET;

int cstage1_unshare(int flags) { return unshare(flags); }
int cstage1_setns(int fd, int nstype) { return setns(fd, nstype); }
int cstage1_set_parent_death_signal(int signal) { return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL); }
int cstage1_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL); }
int cstage1_capbset_drop(int capability) { return prctl(PR_CAPBSET_DROP, (unsigned long)capability, 0UL, 0UL, 0UL); }
int cstage1_pivot_root(const char *new_root, const char *put_old) { return (int)syscall(SYS_pivot_root, new_root, put_old); }

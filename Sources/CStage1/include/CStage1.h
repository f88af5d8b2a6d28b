// Calls and constants the stage1 flavors need that Swift's Glibc module does not import (they need
// _GNU_SOURCE, or are variadic). No logic lives here: each function forwards its arguments unchanged.
#ifndef CSTAGE1_H
#define CSTAGE1_H

extern const int cstage1_clone_newns;
extern const int cstage1_clone_newuts;
extern const int cstage1_clone_newipc;
extern const int cstage1_clone_newpid;
extern const int cstage1_clone_newnet;

int cstage1_unshare(int flags);
int cstage1_setns(int fd, int nstype);
/// prctl(PR_SET_PDEATHSIG, signal): the signal this process gets when its parent dies.
int cstage1_set_parent_death_signal(int signal);
/// prctl(PR_SET_NO_NEW_PRIVS, 1).
int cstage1_set_no_new_privs(void);
/// prctl(PR_CAPBSET_DROP, capability).
int cstage1_capbset_drop(int capability);
/// The pivot_root(2) system call (glibc has no wrapper).
int cstage1_pivot_root(const char *new_root, const char *put_old);

#endif

// Calls and constants the stage1 flavors need that Swift's Glibc module does not import (they need
// _GNU_SOURCE, or are variadic). No logic lives here: each function forwards its arguments unchanged.
#ifndef CSTAGE1_H
#define CSTAGE1_H

extern const int cstage1_clone_newns;

int cstage1_unshare(int flags);
int cstage1_setns(int fd, int nstype);
/// prctl(PR_SET_PDEATHSIG, signal): the signal this process gets when its parent dies.
int cstage1_set_parent_death_signal(int signal);

#endif

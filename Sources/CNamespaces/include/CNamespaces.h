// Namespace calls and constants that need _GNU_SOURCE, which Swift's Glibc module does not define.
// No logic lives here: each function forwards its arguments unchanged.
#ifndef CNAMESPACES_H
#define CNAMESPACES_H

extern const int cnamespaces_clone_newns;

int cnamespaces_unshare(int flags);
int cnamespaces_setns(int fd, int nstype);

#endif

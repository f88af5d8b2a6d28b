// Fixed-arity wrappers of variadic libc calls that Swift cannot import directly.
// No logic lives here: each function forwards its arguments unchanged.
#ifndef CLINUX_H
#define CLINUX_H

#include <sys/types.h>
#include <sys/epoll.h>

int clinux_ioctl_ptr(int fd, unsigned long request, void *arg);
int clinux_ioctl_val(int fd, unsigned long request, unsigned long arg);
int clinux_open_mode(const char *path, int flags, mode_t mode);
int clinux_openat_mode(int dirfd, const char *path, int flags, mode_t mode);
int clinux_fcntl_int(int fd, int cmd, int arg);
int clinux_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
long clinux_syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6);

/// Memory fences for data shared with a guest (virtqueue rings): C11 atomic_thread_fence.
void clinux_fence_acquire(void);
void clinux_fence_release(void);
void clinux_fence_sequential(void);

#endif

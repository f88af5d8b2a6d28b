#define _GNU_SOURCE
#include "CLinux.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <stdatomic.h>
#include <unistd.h>

int clinux_ioctl_ptr(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
int clinux_ioctl_val(int fd, unsigned long request, unsigned long arg) { return ioctl(fd, request, arg); }
int clinux_open_mode(const char *path, int flags, mode_t mode) { return open(path, flags, mode); }
int clinux_openat_mode(int dirfd, const char *path, int flags, mode_t mode) { return openat(dirfd, path, flags, mode); }
int clinux_fcntl_int(int fd, int cmd, int arg) { return fcntl(fd, cmd, arg); }
int clinux_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5) {
    return prctl(option, a2, a3, a4, a5);
}
long clinux_syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
    return syscall(number, a1, a2, a3, a4, a5, a6);
}

void clinux_fence_acquire(void) { atomic_thread_fence(memory_order_acquire); }
void clinux_fence_release(void) { atomic_thread_fence(memory_order_release); }
void clinux_fence_sequential(void) { atomic_thread_fence(memory_order_seq_cst); }

// Headers the kvm flavor (GuestInit in the guest, the kvm stage1 on the host) needs that Swift's Glibc
// module lacks: vsock addresses, mount, reboot, signalfd, groups. Declarations only, no logic.
#ifndef CKVMPOD_H
#define CKVMPOD_H

#include <grp.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/vm_sockets.h>
#include <linux/filter.h>

/// O_PATH (a _GNU_SOURCE constant that Swift's Glibc module does not export).
extern const int ckvmpod_o_path;

/// makedev is a macro in glibc; this is its fixed-arity function form.
dev_t ckvmpod_makedev(unsigned int major, unsigned int minor);

#endif

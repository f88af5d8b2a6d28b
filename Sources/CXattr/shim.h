// Extended-attribute calls (fsetxattr, fgetxattr, flistxattr, ...) that Glibc's Swift module leaves out.
#include <sys/xattr.h>

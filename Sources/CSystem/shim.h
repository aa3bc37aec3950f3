#include <sys/types.h>
#include <sys/xattr.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

/* Typed wrappers for macros Swift cannot call. */
static inline unsigned int mab_major(dev_t d) { return major(d); }
static inline unsigned int mab_minor(dev_t d) { return minor(d); }
static inline dev_t mab_makedev(unsigned int ma, unsigned int mi) { return makedev(ma, mi); }

/* The CPUs this process may run on (taskset, cpusets), 0 when the kernel does not say.
   The raw syscall: sched.h's cpu_set_t needs _GNU_SOURCE, which must not differ from
   the definitions the Glibc module was built with. */
static inline int mab_affinity_cpus(void) {
    unsigned long mask[64] = {0};
    long n = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    if (n <= 0) return 0;
    int count = 0;
    for (long i = 0; i < n / (long)sizeof(unsigned long); i++) count += __builtin_popcountl(mask[i]);
    return count;
}

/* openat2 with RESOLVE_IN_ROOT: `path` resolved as if `dirfd` were `/` (symlinks and
   `..` cannot leave it); -1 with errno on failure. */
static inline int mab_open_in_root(int dirfd, const char *path, int flags) {
    struct open_how how = {0};
    how.flags = (unsigned long long)(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

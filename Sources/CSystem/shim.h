#include <sys/types.h>
#include <sys/xattr.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <fcntl.h>

/* Typed wrappers for macros Swift cannot call. */
static inline unsigned int mab_major(dev_t d) { return major(d); }
static inline unsigned int mab_minor(dev_t d) { return minor(d); }
static inline dev_t mab_makedev(unsigned int ma, unsigned int mi) { return makedev(ma, mi); }

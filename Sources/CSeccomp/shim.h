#include <seccomp.h>
#include <unistd.h>
#include <sys/syscall.h>

/* SCMP_ACT_* are macros Swift cannot call. */
static inline uint32_t mab_scmp_act_errno(uint16_t e) { return SCMP_ACT_ERRNO(e); }
static inline uint32_t mab_scmp_act_allow(void) { return SCMP_ACT_ALLOW; }

/* An anonymous close-on-exec file for seccomp_export_bpf (memfd_create needs _GNU_SOURCE). */
static inline int mab_memfd(const char *name) { return (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */); }

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <pthread.h>

/*
 * libarchive is loaded with dlopen on first use, not linked: its dependency tree
 * (libxml2, ICU, nettle, lzma, bz2, lz4, acl, …) would otherwise be mapped and relocated
 * at every start of mab. Generated from archive.h; call mab_<function>.
 */

typedef struct {
    void (*archive_entry_copy_hardlink)(struct archive_entry *, const char *);
    void (*archive_entry_copy_pathname)(struct archive_entry *, const char *);
    void (*archive_entry_copy_symlink)(struct archive_entry *, const char *);
    void (*archive_entry_free)(struct archive_entry *);
    la_int64_t (*archive_entry_gid)(struct archive_entry *);
    const char * (*archive_entry_hardlink)(struct archive_entry *);
    __LA_MODE_T (*archive_entry_mode)(struct archive_entry *);
    time_t (*archive_entry_mtime)(struct archive_entry *);
    struct archive_entry * (*archive_entry_new)(void);
    const char * (*archive_entry_pathname)(struct archive_entry *);
    dev_t (*archive_entry_rdev)(struct archive_entry *);
    void (*archive_entry_set_gid)(struct archive_entry *, la_int64_t);
    void (*archive_entry_set_mode)(struct archive_entry *, __LA_MODE_T);
    void (*archive_entry_set_mtime)(struct archive_entry *, time_t, long);
    void (*archive_entry_set_rdev)(struct archive_entry *, dev_t);
    void (*archive_entry_set_size)(struct archive_entry *, la_int64_t);
    void (*archive_entry_set_uid)(struct archive_entry *, la_int64_t);
    const char * (*archive_entry_symlink)(struct archive_entry *);
    la_int64_t (*archive_entry_uid)(struct archive_entry *);
    void (*archive_entry_xattr_add_entry)(struct archive_entry *, const char * /* name */, const void * /* value */, size_t /* size */);
    int (*archive_entry_xattr_next)(struct archive_entry *, const char ** /* name */, const void ** /* value */, size_t *);
    int (*archive_entry_xattr_reset)(struct archive_entry *);
    la_int64_t (*archive_entry_size)(struct archive_entry *);
    long (*archive_entry_mtime_nsec)(struct archive_entry *);
    const char * (*archive_entry_uname)(struct archive_entry *);
    const char * (*archive_entry_gname)(struct archive_entry *);
    int (*archive_entry_atime_is_set)(struct archive_entry *);
    int (*archive_entry_ctime_is_set)(struct archive_entry *);
    const char * (*archive_format_name)(struct archive *);
    const char * (*archive_error_string)(struct archive *);
    int (*archive_read_data_block)(struct archive *a, const void **buff, size_t *size, la_int64_t *offset);
    int (*archive_read_free)(struct archive *);
    struct archive * (*archive_read_new)(void);
    int (*archive_read_next_header)(struct archive *, struct archive_entry **);
    int (*archive_read_open_filename)(struct archive *, const char *_filename, size_t _block_size);
    int (*archive_read_support_filter_gzip)(struct archive *);
    int (*archive_read_support_filter_xz)(struct archive *);
    int (*archive_read_support_filter_bzip2)(struct archive *);
    int (*archive_read_support_filter_none)(struct archive *);
    int (*archive_read_support_filter_zstd)(struct archive *);
    int (*archive_read_support_format_empty)(struct archive *);
    int (*archive_read_support_format_tar)(struct archive *);
    const char * (*archive_version_string)(void);
    int (*archive_write_add_filter_none)(struct archive *);
    int (*archive_write_close)(struct archive *);
    la_ssize_t (*archive_write_data)(struct archive *, const void *, size_t);
    int (*archive_write_free)(struct archive *);
    int (*archive_write_header)(struct archive *, struct archive_entry *);
    struct archive * (*archive_write_new)(void);
    int (*archive_write_open2)(struct archive *, void *, archive_open_callback *, archive_write_callback *, archive_close_callback *, archive_free_callback *);
    int (*archive_write_open_filename)(struct archive *, const char *_file);
    int (*archive_write_set_bytes_per_block)(struct archive *, int bytes_per_block);
    int (*archive_write_set_format_pax_restricted)(struct archive *);
    int (*archive_write_set_options)(struct archive *_a, const char *opts);
} mab_archive_api;

typedef struct { mab_archive_api api; int loaded; pthread_once_t once; } mab_archive_state_t;

static inline mab_archive_state_t *mab_archive_state(void) {
    static mab_archive_state_t state = { .loaded = 0, .once = PTHREAD_ONCE_INIT };
    return &state;
}

static inline void mab_archive_load(void) {
    void *h = dlopen("libarchive.so.13", RTLD_NOW | RTLD_GLOBAL);
    if (!h) return;
    mab_archive_api *api = &mab_archive_state()->api;
    if (!(*(void **)(&api->archive_entry_copy_hardlink) = dlsym(h, "archive_entry_copy_hardlink"))) return;
    if (!(*(void **)(&api->archive_entry_copy_pathname) = dlsym(h, "archive_entry_copy_pathname"))) return;
    if (!(*(void **)(&api->archive_entry_copy_symlink) = dlsym(h, "archive_entry_copy_symlink"))) return;
    if (!(*(void **)(&api->archive_entry_free) = dlsym(h, "archive_entry_free"))) return;
    if (!(*(void **)(&api->archive_entry_gid) = dlsym(h, "archive_entry_gid"))) return;
    if (!(*(void **)(&api->archive_entry_hardlink) = dlsym(h, "archive_entry_hardlink"))) return;
    if (!(*(void **)(&api->archive_entry_mode) = dlsym(h, "archive_entry_mode"))) return;
    if (!(*(void **)(&api->archive_entry_mtime) = dlsym(h, "archive_entry_mtime"))) return;
    if (!(*(void **)(&api->archive_entry_new) = dlsym(h, "archive_entry_new"))) return;
    if (!(*(void **)(&api->archive_entry_pathname) = dlsym(h, "archive_entry_pathname"))) return;
    if (!(*(void **)(&api->archive_entry_rdev) = dlsym(h, "archive_entry_rdev"))) return;
    if (!(*(void **)(&api->archive_entry_set_gid) = dlsym(h, "archive_entry_set_gid"))) return;
    if (!(*(void **)(&api->archive_entry_set_mode) = dlsym(h, "archive_entry_set_mode"))) return;
    if (!(*(void **)(&api->archive_entry_set_mtime) = dlsym(h, "archive_entry_set_mtime"))) return;
    if (!(*(void **)(&api->archive_entry_set_rdev) = dlsym(h, "archive_entry_set_rdev"))) return;
    if (!(*(void **)(&api->archive_entry_set_size) = dlsym(h, "archive_entry_set_size"))) return;
    if (!(*(void **)(&api->archive_entry_set_uid) = dlsym(h, "archive_entry_set_uid"))) return;
    if (!(*(void **)(&api->archive_entry_symlink) = dlsym(h, "archive_entry_symlink"))) return;
    if (!(*(void **)(&api->archive_entry_uid) = dlsym(h, "archive_entry_uid"))) return;
    if (!(*(void **)(&api->archive_entry_xattr_add_entry) = dlsym(h, "archive_entry_xattr_add_entry"))) return;
    if (!(*(void **)(&api->archive_entry_xattr_next) = dlsym(h, "archive_entry_xattr_next"))) return;
    if (!(*(void **)(&api->archive_entry_xattr_reset) = dlsym(h, "archive_entry_xattr_reset"))) return;
    if (!(*(void **)(&api->archive_entry_size) = dlsym(h, "archive_entry_size"))) return;
    if (!(*(void **)(&api->archive_entry_mtime_nsec) = dlsym(h, "archive_entry_mtime_nsec"))) return;
    if (!(*(void **)(&api->archive_entry_uname) = dlsym(h, "archive_entry_uname"))) return;
    if (!(*(void **)(&api->archive_entry_gname) = dlsym(h, "archive_entry_gname"))) return;
    if (!(*(void **)(&api->archive_entry_atime_is_set) = dlsym(h, "archive_entry_atime_is_set"))) return;
    if (!(*(void **)(&api->archive_entry_ctime_is_set) = dlsym(h, "archive_entry_ctime_is_set"))) return;
    if (!(*(void **)(&api->archive_format_name) = dlsym(h, "archive_format_name"))) return;
    if (!(*(void **)(&api->archive_error_string) = dlsym(h, "archive_error_string"))) return;
    if (!(*(void **)(&api->archive_read_data_block) = dlsym(h, "archive_read_data_block"))) return;
    if (!(*(void **)(&api->archive_read_free) = dlsym(h, "archive_read_free"))) return;
    if (!(*(void **)(&api->archive_read_new) = dlsym(h, "archive_read_new"))) return;
    if (!(*(void **)(&api->archive_read_next_header) = dlsym(h, "archive_read_next_header"))) return;
    if (!(*(void **)(&api->archive_read_open_filename) = dlsym(h, "archive_read_open_filename"))) return;
    if (!(*(void **)(&api->archive_read_support_filter_gzip) = dlsym(h, "archive_read_support_filter_gzip"))) return;
    if (!(*(void **)(&api->archive_read_support_filter_xz) = dlsym(h, "archive_read_support_filter_xz"))) return;
    if (!(*(void **)(&api->archive_read_support_filter_bzip2) = dlsym(h, "archive_read_support_filter_bzip2"))) return;
    if (!(*(void **)(&api->archive_read_support_filter_none) = dlsym(h, "archive_read_support_filter_none"))) return;
    if (!(*(void **)(&api->archive_read_support_filter_zstd) = dlsym(h, "archive_read_support_filter_zstd"))) return;
    if (!(*(void **)(&api->archive_read_support_format_empty) = dlsym(h, "archive_read_support_format_empty"))) return;
    if (!(*(void **)(&api->archive_read_support_format_tar) = dlsym(h, "archive_read_support_format_tar"))) return;
    if (!(*(void **)(&api->archive_version_string) = dlsym(h, "archive_version_string"))) return;
    if (!(*(void **)(&api->archive_write_add_filter_none) = dlsym(h, "archive_write_add_filter_none"))) return;
    if (!(*(void **)(&api->archive_write_close) = dlsym(h, "archive_write_close"))) return;
    if (!(*(void **)(&api->archive_write_data) = dlsym(h, "archive_write_data"))) return;
    if (!(*(void **)(&api->archive_write_free) = dlsym(h, "archive_write_free"))) return;
    if (!(*(void **)(&api->archive_write_header) = dlsym(h, "archive_write_header"))) return;
    if (!(*(void **)(&api->archive_write_new) = dlsym(h, "archive_write_new"))) return;
    if (!(*(void **)(&api->archive_write_open2) = dlsym(h, "archive_write_open2"))) return;
    if (!(*(void **)(&api->archive_write_open_filename) = dlsym(h, "archive_write_open_filename"))) return;
    if (!(*(void **)(&api->archive_write_set_bytes_per_block) = dlsym(h, "archive_write_set_bytes_per_block"))) return;
    if (!(*(void **)(&api->archive_write_set_format_pax_restricted) = dlsym(h, "archive_write_set_format_pax_restricted"))) return;
    if (!(*(void **)(&api->archive_write_set_options) = dlsym(h, "archive_write_set_options"))) return;
    mab_archive_state()->loaded = 1;
}

/* Loads libarchive once; returns 0 when libarchive.so.13 (Debian: libarchive13) is missing. */
static inline int mab_archive_available(void) {
    pthread_once(&mab_archive_state()->once, mab_archive_load);
    return mab_archive_state()->loaded;
}

/*
 * Every wrapper goes through the state of its own copy: each Swift module (and, after
 * cross-module inlining, each caller) may hold its own instance of these static inline
 * functions and their function-local state, so none may assume another copy loaded it.
 */
static inline mab_archive_api *mab_archive_fns(void) {
    mab_archive_available();
    return &mab_archive_state()->api;
}

static inline void mab_archive_entry_copy_hardlink(struct archive_entry * a0, const char * a1) { mab_archive_fns()->archive_entry_copy_hardlink(a0, a1); }
static inline void mab_archive_entry_copy_pathname(struct archive_entry * a0, const char * a1) { mab_archive_fns()->archive_entry_copy_pathname(a0, a1); }
static inline void mab_archive_entry_copy_symlink(struct archive_entry * a0, const char * a1) { mab_archive_fns()->archive_entry_copy_symlink(a0, a1); }
static inline void mab_archive_entry_free(struct archive_entry * a0) { mab_archive_fns()->archive_entry_free(a0); }
static inline la_int64_t mab_archive_entry_gid(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_gid(a0); }
static inline const char * mab_archive_entry_hardlink(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_hardlink(a0); }
static inline __LA_MODE_T mab_archive_entry_mode(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_mode(a0); }
static inline time_t mab_archive_entry_mtime(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_mtime(a0); }
static inline struct archive_entry * mab_archive_entry_new(void) { return mab_archive_available() ? mab_archive_fns()->archive_entry_new() : NULL; }
static inline const char * mab_archive_entry_pathname(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_pathname(a0); }
static inline dev_t mab_archive_entry_rdev(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_rdev(a0); }
static inline void mab_archive_entry_set_gid(struct archive_entry * a0, la_int64_t a1) { mab_archive_fns()->archive_entry_set_gid(a0, a1); }
static inline void mab_archive_entry_set_mode(struct archive_entry * a0, __LA_MODE_T a1) { mab_archive_fns()->archive_entry_set_mode(a0, a1); }
static inline void mab_archive_entry_set_mtime(struct archive_entry * a0, time_t a1, long a2) { mab_archive_fns()->archive_entry_set_mtime(a0, a1, a2); }
static inline void mab_archive_entry_set_rdev(struct archive_entry * a0, dev_t a1) { mab_archive_fns()->archive_entry_set_rdev(a0, a1); }
static inline void mab_archive_entry_set_size(struct archive_entry * a0, la_int64_t a1) { mab_archive_fns()->archive_entry_set_size(a0, a1); }
static inline void mab_archive_entry_set_uid(struct archive_entry * a0, la_int64_t a1) { mab_archive_fns()->archive_entry_set_uid(a0, a1); }
static inline const char * mab_archive_entry_symlink(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_symlink(a0); }
static inline la_int64_t mab_archive_entry_uid(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_uid(a0); }
static inline void mab_archive_entry_xattr_add_entry(struct archive_entry * a0, const char * /* name */ a1, const void * /* value */ a2, size_t /* size */ a3) { mab_archive_fns()->archive_entry_xattr_add_entry(a0, a1, a2, a3); }
static inline int mab_archive_entry_xattr_next(struct archive_entry * a0, const char ** /* name */ a1, const void ** /* value */ a2, size_t * a3) { return mab_archive_fns()->archive_entry_xattr_next(a0, a1, a2, a3); }
static inline int mab_archive_entry_xattr_reset(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_xattr_reset(a0); }
static inline la_int64_t mab_archive_entry_size(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_size(a0); }
static inline long mab_archive_entry_mtime_nsec(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_mtime_nsec(a0); }
static inline const char * mab_archive_entry_uname(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_uname(a0); }
static inline const char * mab_archive_entry_gname(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_gname(a0); }
static inline int mab_archive_entry_atime_is_set(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_atime_is_set(a0); }
static inline int mab_archive_entry_ctime_is_set(struct archive_entry * a0) { return mab_archive_fns()->archive_entry_ctime_is_set(a0); }
static inline const char * mab_archive_format_name(struct archive * a0) { return mab_archive_fns()->archive_format_name(a0); }
static inline const char * mab_archive_error_string(struct archive * a0) { return mab_archive_fns()->archive_error_string(a0); }
static inline int mab_archive_read_data_block(struct archive *a, const void **buff, size_t *size, la_int64_t *offset) { return mab_archive_fns()->archive_read_data_block(a, buff, size, offset); }
static inline int mab_archive_read_free(struct archive * a0) { return mab_archive_fns()->archive_read_free(a0); }
static inline struct archive * mab_archive_read_new(void) { return mab_archive_available() ? mab_archive_fns()->archive_read_new() : NULL; }
static inline int mab_archive_read_next_header(struct archive * a0, struct archive_entry ** a1) { return mab_archive_fns()->archive_read_next_header(a0, a1); }
static inline int mab_archive_read_open_filename(struct archive * a0, const char *_filename, size_t _block_size) { return mab_archive_fns()->archive_read_open_filename(a0, _filename, _block_size); }
static inline int mab_archive_read_support_filter_gzip(struct archive * a0) { return mab_archive_fns()->archive_read_support_filter_gzip(a0); }
static inline int mab_archive_read_support_filter_none(struct archive * a0) { return mab_archive_fns()->archive_read_support_filter_none(a0); }
static inline int mab_archive_read_support_filter_bzip2(struct archive * a0) { return mab_archive_fns()->archive_read_support_filter_bzip2(a0); }
static inline int mab_archive_read_support_filter_xz(struct archive * a0) { return mab_archive_fns()->archive_read_support_filter_xz(a0); }
static inline int mab_archive_read_support_filter_zstd(struct archive * a0) { return mab_archive_fns()->archive_read_support_filter_zstd(a0); }
static inline int mab_archive_read_support_format_empty(struct archive * a0) { return mab_archive_fns()->archive_read_support_format_empty(a0); }
static inline int mab_archive_read_support_format_tar(struct archive * a0) { return mab_archive_fns()->archive_read_support_format_tar(a0); }
static inline const char * mab_archive_version_string(void) { return mab_archive_available() ? mab_archive_fns()->archive_version_string() : NULL; }
static inline int mab_archive_write_add_filter_none(struct archive * a0) { return mab_archive_fns()->archive_write_add_filter_none(a0); }
static inline int mab_archive_write_close(struct archive * a0) { return mab_archive_fns()->archive_write_close(a0); }
static inline la_ssize_t mab_archive_write_data(struct archive * a0, const void * a1, size_t a2) { return mab_archive_fns()->archive_write_data(a0, a1, a2); }
static inline int mab_archive_write_free(struct archive * a0) { return mab_archive_fns()->archive_write_free(a0); }
static inline int mab_archive_write_header(struct archive * a0, struct archive_entry * a1) { return mab_archive_fns()->archive_write_header(a0, a1); }
static inline struct archive * mab_archive_write_new(void) { return mab_archive_available() ? mab_archive_fns()->archive_write_new() : NULL; }
static inline int mab_archive_write_open2(struct archive * a0, void * a1, archive_open_callback * a2, archive_write_callback * a3, archive_close_callback * a4, archive_free_callback * a5) { return mab_archive_fns()->archive_write_open2(a0, a1, a2, a3, a4, a5); }
static inline int mab_archive_write_open_filename(struct archive * a0, const char *_file) { return mab_archive_fns()->archive_write_open_filename(a0, _file); }
static inline int mab_archive_write_set_bytes_per_block(struct archive * a0, int bytes_per_block) { return mab_archive_fns()->archive_write_set_bytes_per_block(a0, bytes_per_block); }
static inline int mab_archive_write_set_format_pax_restricted(struct archive * a0) { return mab_archive_fns()->archive_write_set_format_pax_restricted(a0); }
static inline int mab_archive_write_set_options(struct archive *_a, const char *opts) { return mab_archive_fns()->archive_write_set_options(_a, opts); }

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

/*
 * libcurl is loaded with dlopen on first use, not linked: its dependency tree (TLS,
 * Kerberos, LDAP, IDN, …, about 25 shared objects) would otherwise be mapped and
 * relocated at every start of mab, including commands that never touch a network.
 */
typedef struct {
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLcode (*global_init)(long);
    char *(*version)(void);
    curl_version_info_data *(*version_info)(CURLversion);
} mab_curl_api;

typedef struct {
    mab_curl_api api;
    int loaded;
    pthread_once_t once;
} mab_curl_state_t;

/* Function-local state: file-level statics in an imported header are never emitted. */
static inline mab_curl_state_t *mab_curl_state(void) {
    static mab_curl_state_t state = { .loaded = 0, .once = PTHREAD_ONCE_INIT };
    return &state;
}

#define mab_curl_table (mab_curl_state()->api)
#define mab_curl_loaded (mab_curl_state()->loaded)

static inline void mab_curl_load(void) {
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_GLOBAL);
    if (!h) return;
#define MAB_SYM(field, name) *(void **)(&mab_curl_table.field) = dlsym(h, name); if (!mab_curl_table.field) return;
    MAB_SYM(easy_init, "curl_easy_init")
    MAB_SYM(easy_cleanup, "curl_easy_cleanup")
    MAB_SYM(easy_reset, "curl_easy_reset")
    MAB_SYM(easy_perform, "curl_easy_perform")
    MAB_SYM(easy_setopt, "curl_easy_setopt")
    MAB_SYM(easy_getinfo, "curl_easy_getinfo")
    MAB_SYM(easy_strerror, "curl_easy_strerror")
    MAB_SYM(slist_append, "curl_slist_append")
    MAB_SYM(slist_free_all, "curl_slist_free_all")
    MAB_SYM(global_init, "curl_global_init")
    MAB_SYM(version, "curl_version")
    MAB_SYM(version_info, "curl_version_info")
#undef MAB_SYM
    mab_curl_table.global_init(CURL_GLOBAL_DEFAULT);
    mab_curl_loaded = 1;
}

/* Loads libcurl once; returns 0 when libcurl.so.4 (Debian: libcurl4) is missing. */
static inline int mab_curl_available(void) {
    pthread_once(&mab_curl_state()->once, mab_curl_load);
    return mab_curl_loaded;
}

/*
 * Every wrapper goes through the state of its own copy: each Swift module (and, after
 * cross-module inlining, each caller) may hold its own instance of these static inline
 * functions and their function-local state, so none may assume another copy loaded it.
 */
static inline mab_curl_api *mab_curl_fns(void) {
    mab_curl_available();
    return &mab_curl_table;
}

static inline CURL *mab_curl_easy_init(void) { return mab_curl_available() ? mab_curl_fns()->easy_init() : NULL; }
static inline void mab_curl_easy_cleanup(CURL *h) { mab_curl_fns()->easy_cleanup(h); }
static inline void mab_curl_easy_reset(CURL *h) { mab_curl_fns()->easy_reset(h); }
static inline CURLcode mab_curl_easy_perform(CURL *h) { return mab_curl_fns()->easy_perform(h); }
static inline const char *mab_curl_easy_strerror(CURLcode c) { return mab_curl_fns()->easy_strerror(c); }
static inline struct curl_slist *mab_curl_slist_append(struct curl_slist *l, const char *s) { return mab_curl_fns()->slist_append(l, s); }
static inline void mab_curl_slist_free_all(struct curl_slist *l) { if (l) mab_curl_fns()->slist_free_all(l); }
static inline const char *mab_curl_version(void) { return mab_curl_available() ? mab_curl_fns()->version() : NULL; }
static inline curl_version_info_data *mab_curl_version_info(void) { return mab_curl_available() ? mab_curl_fns()->version_info(CURLVERSION_FIRST) : NULL; }

/* Typed wrappers: Swift cannot call the variadic curl_easy_setopt/getinfo directly. */
static inline CURLcode mab_curl_setopt_long(CURL *h, CURLoption o, long v) { return mab_curl_fns()->easy_setopt(h, o, v); }
static inline CURLcode mab_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return mab_curl_fns()->easy_setopt(h, o, v); }
static inline CURLcode mab_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return mab_curl_fns()->easy_setopt(h, o, v); }
static inline CURLcode mab_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return mab_curl_fns()->easy_setopt(h, o, v); }
static inline CURLcode mab_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return mab_curl_fns()->easy_setopt(h, o, v); }
static inline CURLcode mab_curl_setopt_write(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return mab_curl_fns()->easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode mab_curl_setopt_read(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return mab_curl_fns()->easy_setopt(h, CURLOPT_READFUNCTION, f); }
static inline CURLcode mab_curl_setopt_header(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return mab_curl_fns()->easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }
static inline CURLcode mab_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return mab_curl_fns()->easy_getinfo(h, i, v); }
static inline CURLcode mab_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return mab_curl_fns()->easy_getinfo(h, i, v); }
static inline CURLcode mab_curl_getinfo_pointer(CURL *h, CURLINFO i, void *v) { return mab_curl_fns()->easy_getinfo(h, i, v); }

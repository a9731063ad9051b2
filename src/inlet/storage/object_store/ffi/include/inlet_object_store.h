/*
 * inlet_object_store.h - C ABI over Rust's object_store crate (S3, Azure, GCS).
 *
 * Conventions
 *  - Every fallible function returns an int32_t status (IOS_OK == 0).
 *  - `err_msg` (may be NULL): on failure receives a heap string the caller
 *    frees with ios_string_free(); NULL on success. Messages never contain
 *    credentials (option values for secret-looking keys, AWS_/AZURE_/GOOGLE_
 *    secret env vars, URL query strings are redacted).
 *  - Object paths are object_store paths: '/'-separated, no leading '/',
 *    no empty, "." or ".." segments. They are relative to the URL prefix
 *    given to ios_store_open.
 *  - All calls block the calling thread on one process-wide tokio runtime
 *    and are safe to call concurrently from many threads on the same store.
 *    Do not call them from inside a tokio runtime thread.
 *  - Memory returned by the library (ios_buf, ios_meta, pages, strings) must
 *    be released with the matching ios_*_free / ios_*_clear function.
 */
#ifndef INLET_OBJECT_STORE_H
#define INLET_OBJECT_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  IOS_OK = 0,
  IOS_NOT_FOUND = 1,
  IOS_ALREADY_EXISTS = 2,   /* put_if_absent: object exists (HTTP 412/304) */
  IOS_PRECONDITION = 3,     /* other precondition failure */
  IOS_CONFLICT = 4,         /* concurrent conditional write in flight (S3 409); retry */
  IOS_UNAUTHENTICATED = 5,  /* HTTP 401 */
  IOS_PERMISSION_DENIED = 6,/* HTTP 403 */
  IOS_INVALID_ARGUMENT = 7, /* bad URL / option key / path / NULL argument */
  IOS_NOT_SUPPORTED = 8,
  IOS_IO = 9,               /* network, server (5xx after retries), other */
  IOS_INTERNAL = 10         /* bug: a Rust panic was caught */
};

typedef struct ios_store ios_store;
typedef struct ios_list ios_list;
typedef struct ios_writer ios_writer;

typedef struct ios_buf {
  uint8_t *data;
  size_t len;
} ios_buf;

typedef struct ios_meta {
  char *path;               /* relative to the store prefix */
  uint64_t size;
  int64_t last_modified_ms; /* Unix epoch milliseconds */
  char *etag;               /* NULL if unknown */
  char *version;            /* NULL if unknown */
} ios_meta;

typedef struct ios_list_page {
  ios_meta *entries;
  size_t count;             /* 0 => listing exhausted */
} ios_list_page;

/* Optional, before any other call: runtime worker threads (0 = tokio default).
 * Default without this call: $INLET_OBJSTORE_THREADS or 2.
 * Returns IOS_INVALID_ARGUMENT if the runtime already started. */
int32_t ios_init(uint32_t worker_threads);

const char *ios_code_name(int32_t code); /* static string */
void ios_string_free(char *s);
void ios_buf_free(ios_buf *buf);
void ios_meta_clear(ios_meta *m);

/* url: s3://bucket[/prefix], az://container[/prefix],
 *      abfss://container@account.dfs.core.windows.net[/prefix], gs://bucket[/prefix].
 * Configuration = builder.from_env() (AWS_*, AZURE_*, GOOGLE_* env vars)
 *   then keys[i]=values[i] (object_store config keys, e.g. aws_endpoint,
 *   aws_allow_http, azure_storage_use_emulator, google_base_url, timeout,
 *   connect_timeout, ...). Extra keys handled here:
 *   inlet_max_retries, inlet_retry_timeout_ms, inlet_backoff_init_ms,
 *   inlet_backoff_max_ms.
 * S3 conditional put (aws_conditional_put=etag) is enabled by default. */
int32_t ios_store_open(const char *url, const char *const *keys,
                       const char *const *values, size_t n_opts,
                       ios_store **out, char **err_msg);
void ios_store_close(ios_store *store);

int32_t ios_get(const ios_store *s, const char *path, ios_buf *out, char **err_msg);
/* Bytes [offset, offset+len); a range running past the end is truncated;
 * offset >= size is an error. */
int32_t ios_get_range(const ios_store *s, const char *path, uint64_t offset,
                      uint64_t len, ios_buf *out, char **err_msg);
int32_t ios_head(const ios_store *s, const char *path, ios_meta *out, char **err_msg);

/* etag_out may be NULL; otherwise receives the new ETag (free with ios_string_free). */
int32_t ios_put(const ios_store *s, const char *path, const uint8_t *data,
                size_t len, char **etag_out, char **err_msg);
int32_t ios_put_if_absent(const ios_store *s, const char *path,
                          const uint8_t *data, size_t len, char **etag_out,
                          char **err_msg);
int32_t ios_delete(const ios_store *s, const char *path, char **err_msg);

/* Recursive listing. prefix/start_after may be NULL. start_after is exclusive. */
int32_t ios_list_open(const ios_store *s, const char *prefix,
                      const char *start_after, ios_list **out, char **err_msg);
/* max_entries 0 = 1000. page->count == 0 => done. */
int32_t ios_list_next(ios_list *l, size_t max_entries, ios_list_page *page,
                      char **err_msg);
void ios_list_page_free(ios_list_page *page);
void ios_list_close(ios_list *l);

/* One level below prefix (NULL/"" = the store's root): the objects directly in it
 * and its "directories" (common prefixes, without the trailing '/'). Free with
 * ios_dir_listing_free. */
typedef struct ios_dir_listing {
  ios_meta *files;
  size_t file_count;
  char **dirs;
  size_t dir_count;
} ios_dir_listing;
int32_t ios_list_dir(const ios_store *s, const char *prefix, ios_dir_listing *out, char **err_msg);
void ios_dir_listing_free(ios_dir_listing *listing);

/* Multipart upload. part_size 0 = 8 MiB (>= 5 MiB for S3), max_concurrency 0 = 4.
 * A writer is used by one thread at a time. close/abort always free it;
 * a writer that is neither closed nor aborted leaks an incomplete upload. */
int32_t ios_writer_open(const ios_store *s, const char *path, size_t part_size,
                        size_t max_concurrency, ios_writer **out, char **err_msg);
int32_t ios_writer_write(ios_writer *w, const uint8_t *data, size_t len, char **err_msg);
int32_t ios_writer_close(ios_writer *w, char **etag_out, char **err_msg);
int32_t ios_writer_abort(ios_writer *w, char **err_msg);

#ifdef __cplusplus
}
#endif
#endif /* INLET_OBJECT_STORE_H */

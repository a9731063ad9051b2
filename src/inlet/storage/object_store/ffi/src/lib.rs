//! C ABI over the `object_store` crate for the inlet C++ engine.
//!
//! Conventions (see include/inlet_object_store.h):
//! * every fallible function returns an `int32_t` status code (`IOS_OK` == 0);
//! * `err_msg` out-parameters may be NULL; when non-NULL and the call fails they
//!   receive a NUL-terminated, heap-allocated message that the caller releases
//!   with `ios_string_free`. Messages are scrubbed of credentials.
//! * all blocking calls run on one process-wide multi-threaded tokio runtime and
//!   may be made concurrently from any number of (non-tokio) threads.

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey, S3ConditionalPut};
use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{
    BackoffConfig, ObjectMeta, ObjectStore, ObjectStoreExt, ObjectStoreScheme, PutMode,
    PutOptions, PutPayload, RetryConfig, WriteMultipart,
};
use tokio::runtime::Runtime;

mod aws_profile;
mod azure_connection;
mod list;
mod scrub;
mod writer;
use scrub::{redact_queries, Scrubber};

// ---------------------------------------------------------------------------
// status codes (keep in sync with the header)
// ---------------------------------------------------------------------------
pub const IOS_OK: i32 = 0;
pub const IOS_NOT_FOUND: i32 = 1;
pub const IOS_ALREADY_EXISTS: i32 = 2;
pub const IOS_PRECONDITION: i32 = 3;
pub const IOS_CONFLICT: i32 = 4;
pub const IOS_UNAUTHENTICATED: i32 = 5;
pub const IOS_PERMISSION_DENIED: i32 = 6;
pub const IOS_INVALID_ARGUMENT: i32 = 7;
pub const IOS_NOT_SUPPORTED: i32 = 8;
pub const IOS_IO: i32 = 9;
pub const IOS_INTERNAL: i32 = 10;

struct Failure {
    code: i32,
    msg: String,
}

impl Failure {
    fn new(code: i32, msg: impl Into<String>) -> Self {
        Failure { code, msg: msg.into() }
    }
    fn invalid(msg: impl Into<String>) -> Self {
        Self::new(IOS_INVALID_ARGUMENT, msg)
    }
}

type R<T> = Result<T, Failure>;

/// Map an object_store error onto a status code.
fn classify(e: &object_store::Error) -> i32 {
    use object_store::Error as E;
    match e {
        E::NotFound { .. } => IOS_NOT_FOUND,
        E::AlreadyExists { .. } => IOS_ALREADY_EXISTS,
        E::Precondition { .. } | E::NotModified { .. } => IOS_PRECONDITION,
        E::Unauthenticated { .. } => IOS_UNAUTHENTICATED,
        E::PermissionDenied { .. } => IOS_PERMISSION_DENIED,
        E::InvalidPath { .. } | E::UnknownConfigurationKey { .. } => IOS_INVALID_ARGUMENT,
        E::NotSupported { .. } | E::NotImplemented { .. } => IOS_NOT_SUPPORTED,
        _ => IOS_IO,
    }
}

/// object_store maps any HTTP 409 onto `AlreadyExists`. For a create-if-absent
/// PUT, S3 answers 412 (object exists; object_store wraps a `Precondition`
/// error) but may also answer 409 ConditionalRequestConflict when another
/// conditional write is in flight: the latter is *not* proof that the object
/// exists and is reported as IOS_CONFLICT (retryable).
fn classify_create(e: &object_store::Error) -> i32 {
    use object_store::Error as E;
    if let E::AlreadyExists { source, .. } = e {
        match source.downcast_ref::<object_store::Error>() {
            Some(E::Precondition { .. }) | Some(E::NotModified { .. }) => IOS_ALREADY_EXISTS,
            // 409 straight from the HTTP layer (S3 / Azure / GCS)
            _ => {
                let s = format!("{e}");
                if s.contains("409") && s.contains("ConditionalRequestConflict") {
                    IOS_CONFLICT
                } else {
                    IOS_ALREADY_EXISTS
                }
            }
        }
    } else {
        classify(e)
    }
}

// ---------------------------------------------------------------------------
// runtime
// ---------------------------------------------------------------------------

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

#[allow(deprecated)] // ring provider lacks post-quantum kx; fine for S3/Azure/GCS
fn install_crypto() {
    // reqwest is built with `rustls-no-provider`: install ring as the process
    // default rustls provider (no-op if the host application already did).
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn build_runtime(threads: usize) -> Runtime {
    install_crypto();
    let mut b = tokio::runtime::Builder::new_multi_thread();
    b.enable_all().thread_name("inlet-objstore");
    if threads > 0 {
        b.worker_threads(threads);
    }
    b.build().expect("failed to start tokio runtime")
}

fn rt() -> &'static Runtime {
    RUNTIME.get_or_init(|| {
        let n = std::env::var("INLET_OBJSTORE_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2);
        build_runtime(n)
    })
}

// ---------------------------------------------------------------------------
// FFI helpers
// ---------------------------------------------------------------------------

fn to_cstring(s: &str) -> *mut c_char {
    let clean: String = s.chars().map(|c| if c == '\0' { '?' } else { c }).collect();
    CString::new(clean).map(|c| c.into_raw()).unwrap_or(ptr::null_mut())
}

unsafe fn cstr<'a>(p: *const c_char, what: &str) -> R<&'a str> {
    if p.is_null() {
        return Err(Failure::invalid(format!("{what} is NULL")));
    }
    CStr::from_ptr(p)
        .to_str()
        .map_err(|_| Failure::invalid(format!("{what} is not valid UTF-8")))
}

unsafe fn opt_cstr<'a>(p: *const c_char, what: &str) -> R<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        cstr(p, what).map(Some)
    }
}

fn parse_path(s: &str) -> R<Path> {
    Path::parse(s).map_err(|e| Failure::invalid(format!("invalid object path: {e}")))
}

/// Run `f`, catching panics, writing the error message, returning the code.
fn ffi<F>(err_msg: *mut *mut c_char, scrub: Option<&Scrubber>, f: F) -> i32
where
    F: FnOnce() -> R<()>,
{
    if !err_msg.is_null() {
        unsafe { *err_msg = ptr::null_mut() };
    }
    let res = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let m = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Failure::new(IOS_INTERNAL, format!("internal panic: {m}")))
        }
    };
    match res {
        Ok(()) => IOS_OK,
        Err(fail) => {
            if !err_msg.is_null() {
                let msg = match scrub {
                    Some(s) => s.scrub(&fail.msg),
                    None => redact_queries(&fail.msg),
                };
                unsafe { *err_msg = to_cstring(&msg) };
            }
            fail.code
        }
    }
}

// ---------------------------------------------------------------------------
// store
// ---------------------------------------------------------------------------

pub struct IosStore {
    store: Arc<dyn ObjectStore>,
    scrub: Scrubber,
}

/// Display of the error plus its `source()` chain (object_store's Display
/// stops at e.g. "error sending request"; the chain names the real cause,
/// such as a TLS certificate problem or "connection refused").
fn describe(e: &object_store::Error) -> String {
    use std::error::Error as _;
    let mut msg = e.to_string();
    let mut src = e.source();
    let mut depth = 0;
    while let Some(s) = src {
        let t = s.to_string();
        if !msg.contains(&t) {
            msg.push_str(": ");
            msg.push_str(&t);
        }
        src = s.source();
        depth += 1;
        if depth > 16 {
            break;
        }
    }
    msg
}

fn os_err(e: object_store::Error) -> Failure {
    Failure::new(classify(&e), describe(&e))
}

#[derive(Default)]
struct ShimOpts {
    max_retries: Option<usize>,
    retry_timeout_ms: Option<u64>,
    backoff_init_ms: Option<u64>,
    backoff_max_ms: Option<u64>,
}

impl ShimOpts {
    fn retry(&self) -> Option<RetryConfig> {
        if self.max_retries.is_none()
            && self.retry_timeout_ms.is_none()
            && self.backoff_init_ms.is_none()
            && self.backoff_max_ms.is_none()
        {
            return None;
        }
        let mut r = RetryConfig::default();
        let mut b = BackoffConfig::default();
        if let Some(n) = self.max_retries {
            r.max_retries = n;
        }
        if let Some(ms) = self.retry_timeout_ms {
            r.retry_timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = self.backoff_init_ms {
            b.init_backoff = Duration::from_millis(ms);
        }
        if let Some(ms) = self.backoff_max_ms {
            b.max_backoff = Duration::from_millis(ms);
        }
        r.backoff = b;
        Some(r)
    }
}

fn parse_num<T: std::str::FromStr>(k: &str, v: &str) -> R<T> {
    v.trim()
        .parse()
        .map_err(|_| Failure::invalid(format!("option '{k}' must be a non-negative integer")))
}

fn open_store(url_s: &str, opts: Vec<(String, String)>) -> R<IosStore> {
    let scrub = Scrubber::from_env_and(&opts);
    open_store_inner(url_s, opts, scrub.clone()).map_err(|f| Failure::new(f.code, scrub.scrub(&f.msg)))
}

fn open_store_inner(url_s: &str, opts: Vec<(String, String)>, scrub: Scrubber) -> R<IosStore> {
    let url = url::Url::parse(url_s).map_err(|e| Failure::invalid(format!("invalid URL: {e}")))?;
    let (scheme, prefix) = ObjectStoreScheme::parse(&url).map_err(|e| {
        Failure::invalid(format!("unsupported URL (expected s3://, az://, abfss://, gs://): {e}"))
    })?;
    let prefix = Path::parse(prefix).map_err(|e| Failure::invalid(format!("invalid prefix: {e}")))?;

    let mut shim = ShimOpts::default();
    let mut store_opts = Vec::new();
    let mut connection_string = std::env::var("AZURE_STORAGE_CONNECTION_STRING").ok();
    for (k, v) in opts {
        match k.as_str() {
            azure_connection::OPTION_KEY => connection_string = Some(v),
            "inlet_max_retries" => shim.max_retries = Some(parse_num(&k, &v)?),
            "inlet_retry_timeout_ms" => shim.retry_timeout_ms = Some(parse_num(&k, &v)?),
            "inlet_backoff_init_ms" => shim.backoff_init_ms = Some(parse_num(&k, &v)?),
            "inlet_backoff_max_ms" => shim.backoff_max_ms = Some(parse_num(&k, &v)?),
            _ => store_opts.push((k, v)),
        }
    }
    // never echo option values: they may be credentials
    let bad_key = |k: &str| Failure::invalid(format!("unknown option key '{k}' for this store"));

    // The three builders take the same steps, each with its own config key type.
    macro_rules! configured {
        ($builder:expr, $key:ty) => {{
            let mut b = $builder;
            for (k, v) in &store_opts {
                let key: $key = k.to_ascii_lowercase().parse().map_err(|_| bad_key(k))?;
                b = b.with_config(key, v);
            }
            if let Some(r) = shim.retry() {
                b = b.with_retry(r);
            }
            Arc::new(b.build().map_err(os_err)?)
        }};
    }
    if let (ObjectStoreScheme::MicrosoftAzure, Some(text)) = (&scheme, &connection_string) {
        // First, so that an option given on its own wins over the connection string's part.
        let mut pairs = azure_connection::config_pairs(text)?;
        pairs.append(&mut store_opts);
        store_opts = pairs;
    }
    let store: Arc<dyn ObjectStore> = match scheme {
        // PutMode::Create via If-None-Match: * (the default in 0.14; explicit for clarity,
        // aws_conditional_put=disabled overrides it).
        ObjectStoreScheme::AmazonS3 => configured!(
            aws_profile::with_profile(
                AmazonS3Builder::from_env().with_url(url_s).with_conditional_put(S3ConditionalPut::ETagMatch),
                &store_opts,
                rt()
            ),
            AmazonS3ConfigKey
        ),
        ObjectStoreScheme::MicrosoftAzure => {
            configured!(MicrosoftAzureBuilder::from_env().with_url(url_s), AzureConfigKey)
        }
        ObjectStoreScheme::GoogleCloudStorage => {
            configured!(GoogleCloudStorageBuilder::from_env().with_url(url_s), GoogleConfigKey)
        }
        _ => {
            return Err(Failure::new(
                IOS_NOT_SUPPORTED,
                "only s3://, az:// / abfss:// and gs:// URLs are supported",
            ))
        }
    };
    let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
        store
    } else {
        Arc::new(PrefixStore::new(store, prefix))
    };
    Ok(IosStore { store, scrub })
}

/// Optionally set the number of runtime worker threads before first use.
/// Returns IOS_INVALID_ARGUMENT if the runtime is already running.
#[no_mangle]
pub extern "C" fn ios_init(worker_threads: u32) -> i32 {
    let mut fresh = false;
    RUNTIME.get_or_init(|| {
        fresh = true;
        build_runtime(worker_threads as usize)
    });
    if fresh {
        IOS_OK
    } else {
        IOS_INVALID_ARGUMENT
    }
}

#[no_mangle]
pub extern "C" fn ios_string_free(s: *mut c_char) {
    if !s.is_null() {
        unsafe { drop(CString::from_raw(s)) };
    }
}

/// # Safety
/// `keys`/`values` must each point to `n_opts` NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn ios_store_open(
    url: *const c_char,
    keys: *const *const c_char,
    values: *const *const c_char,
    n_opts: usize,
    out: *mut *mut IosStore,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, None, || {
        if out.is_null() {
            return Err(Failure::invalid("out is NULL"));
        }
        *out = ptr::null_mut();
        let url = cstr(url, "url")?;
        let mut opts = Vec::with_capacity(n_opts);
        if n_opts > 0 && (keys.is_null() || values.is_null()) {
            return Err(Failure::invalid("keys/values are NULL but n_opts > 0"));
        }
        for i in 0..n_opts {
            let k = cstr(*keys.add(i), "option key")?;
            let v = cstr(*values.add(i), "option value")?;
            opts.push((k.to_string(), v.to_string()));
        }
        // Building a store may touch the runtime (credential providers), so make
        // sure it exists and we are inside it.
        let _g = rt().enter();
        let s = open_store(url, opts)?; // message already scrubbed
        *out = Box::into_raw(Box::new(s));
        Ok(())
    })
}

#[no_mangle]
pub extern "C" fn ios_store_close(store: *mut IosStore) {
    if !store.is_null() {
        let _g = rt().enter(); // dropping reqwest clients may need the runtime
        unsafe { drop(Box::from_raw(store)) };
    }
}

unsafe fn store_ref<'a>(s: *const IosStore) -> R<&'a IosStore> {
    s.as_ref().ok_or_else(|| Failure::invalid("store handle is NULL"))
}

unsafe fn scrub_of<'a>(s: *const IosStore) -> Option<&'a Scrubber> {
    s.as_ref().map(|s| &s.scrub)
}

// ---------------------------------------------------------------------------
// buffers / metadata
// ---------------------------------------------------------------------------

#[repr(C)]
pub struct IosBuf {
    pub data: *mut u8,
    pub len: usize,
}

fn buf_from(bytes: &[u8]) -> IosBuf {
    let b: Box<[u8]> = bytes.to_vec().into_boxed_slice();
    let len = b.len();
    let data = Box::into_raw(b) as *mut u8;
    IosBuf { data, len }
}

#[no_mangle]
pub unsafe extern "C" fn ios_buf_free(buf: *mut IosBuf) {
    if let Some(b) = buf.as_mut() {
        if !b.data.is_null() {
            drop(Box::from_raw(ptr::slice_from_raw_parts_mut(b.data, b.len)));
        }
        b.data = ptr::null_mut();
        b.len = 0;
    }
}

#[repr(C)]
pub struct IosMeta {
    pub path: *mut c_char,
    pub size: u64,
    pub last_modified_ms: i64,
    pub etag: *mut c_char,    // NULL if unknown
    pub version: *mut c_char, // NULL if unknown
}

fn meta_from(m: &ObjectMeta) -> IosMeta {
    IosMeta {
        path: to_cstring(m.location.as_ref()),
        size: m.size,
        last_modified_ms: m.last_modified.timestamp_millis(),
        etag: m.e_tag.as_deref().map(to_cstring).unwrap_or(ptr::null_mut()),
        version: m.version.as_deref().map(to_cstring).unwrap_or(ptr::null_mut()),
    }
}

unsafe fn meta_clear(m: &mut IosMeta) {
    ios_string_free(m.path);
    ios_string_free(m.etag);
    ios_string_free(m.version);
    m.path = ptr::null_mut();
    m.etag = ptr::null_mut();
    m.version = ptr::null_mut();
}

#[no_mangle]
pub unsafe extern "C" fn ios_meta_clear(m: *mut IosMeta) {
    if let Some(m) = m.as_mut() {
        meta_clear(m);
    }
}

// ---------------------------------------------------------------------------
// object operations
// ---------------------------------------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn ios_get(
    store: *const IosStore,
    path: *const c_char,
    out: *mut IosBuf,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        let s = store_ref(store)?;
        let out = out.as_mut().ok_or_else(|| Failure::invalid("out is NULL"))?;
        let p = parse_path(cstr(path, "path")?)?;
        let bytes = rt()
            .block_on(async { s.store.get(&p).await?.bytes().await })
            .map_err(os_err)?;
        *out = buf_from(&bytes);
        Ok(())
    })
}

/// Read `len` bytes starting at `offset`. Reading past the end returns the
/// bytes that exist (object_store semantics: error if offset >= size).
#[no_mangle]
pub unsafe extern "C" fn ios_get_range(
    store: *const IosStore,
    path: *const c_char,
    offset: u64,
    len: u64,
    out: *mut IosBuf,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        let s = store_ref(store)?;
        let out = out.as_mut().ok_or_else(|| Failure::invalid("out is NULL"))?;
        let p = parse_path(cstr(path, "path")?)?;
        let end = offset
            .checked_add(len)
            .ok_or_else(|| Failure::invalid("offset + len overflows"))?;
        if len == 0 {
            *out = IosBuf { data: ptr::null_mut(), len: 0 };
            return Ok(());
        }
        let bytes = rt()
            .block_on(s.store.get_range(&p, offset..end))
            .map_err(os_err)?;
        *out = buf_from(&bytes);
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn ios_head(
    store: *const IosStore,
    path: *const c_char,
    out: *mut IosMeta,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        let s = store_ref(store)?;
        let out = out.as_mut().ok_or_else(|| Failure::invalid("out is NULL"))?;
        let p = parse_path(cstr(path, "path")?)?;
        let m = rt().block_on(s.store.head(&p)).map_err(os_err)?;
        *out = meta_from(&m);
        Ok(())
    })
}

unsafe fn payload(data: *const u8, len: usize) -> R<PutPayload> {
    if len == 0 {
        return Ok(PutPayload::new());
    }
    if data.is_null() {
        return Err(Failure::invalid("data is NULL but len > 0"));
    }
    Ok(PutPayload::from(std::slice::from_raw_parts(data, len).to_vec()))
}

unsafe fn put_common(
    store: *const IosStore,
    path: *const c_char,
    data: *const u8,
    len: usize,
    mode: PutMode,
    etag_out: *mut *mut c_char,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        if !etag_out.is_null() {
            *etag_out = ptr::null_mut();
        }
        let s = store_ref(store)?;
        let p = parse_path(cstr(path, "path")?)?;
        let pl = payload(data, len)?;
        let create = matches!(mode, PutMode::Create);
        let opts = PutOptions { mode, ..Default::default() };
        let res = rt().block_on(s.store.put_opts(&p, pl, opts)).map_err(|e| {
            let code = if create { classify_create(&e) } else { classify(&e) };
            Failure::new(code, describe(&e))
        })?;
        if !etag_out.is_null() {
            if let Some(t) = res.e_tag.as_deref() {
                *etag_out = to_cstring(t);
            }
        }
        Ok(())
    })
}

/// Unconditional PUT (overwrite). `etag_out` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn ios_put(
    store: *const IosStore,
    path: *const c_char,
    data: *const u8,
    len: usize,
    etag_out: *mut *mut c_char,
    err_msg: *mut *mut c_char,
) -> i32 {
    put_common(store, path, data, len, PutMode::Overwrite, etag_out, err_msg)
}

/// Create-only PUT. IOS_ALREADY_EXISTS if the object exists; IOS_CONFLICT if
/// the service reported a concurrent conditional write (retry).
#[no_mangle]
pub unsafe extern "C" fn ios_put_if_absent(
    store: *const IosStore,
    path: *const c_char,
    data: *const u8,
    len: usize,
    etag_out: *mut *mut c_char,
    err_msg: *mut *mut c_char,
) -> i32 {
    put_common(store, path, data, len, PutMode::Create, etag_out, err_msg)
}

/// Delete an object. Deleting a missing object succeeds on S3 (service
/// semantics); other stores may return IOS_NOT_FOUND.
#[no_mangle]
pub unsafe extern "C" fn ios_delete(
    store: *const IosStore,
    path: *const c_char,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        let s = store_ref(store)?;
        let p = parse_path(cstr(path, "path")?)?;
        rt().block_on(s.store.delete(&p)).map_err(os_err)?;
        Ok(())
    })
}


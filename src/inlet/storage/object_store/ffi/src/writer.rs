//! The streaming multipart writer.

use super::*;

pub struct IosWriter {
    inner: Option<WriteMultipart>,
    max_concurrency: usize,
    scrub: Scrubber,
}

/// Start a multipart upload. `part_size` 0 = 8 MiB (S3 minimum is 5 MiB except
/// for the last part); `max_concurrency` 0 = 4 parts in flight. Nothing is
/// visible at `path` until `ios_writer_close` succeeds.
#[no_mangle]
pub unsafe extern "C" fn ios_writer_open(
    store: *const IosStore,
    path: *const c_char,
    part_size: usize,
    max_concurrency: usize,
    out: *mut *mut IosWriter,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        let s = store_ref(store)?;
        if out.is_null() {
            return Err(Failure::invalid("out is NULL"));
        }
        *out = ptr::null_mut();
        let p = parse_path(cstr(path, "path")?)?;
        let part = if part_size == 0 { 8 << 20 } else { part_size };
        let upload = rt().block_on(s.store.put_multipart(&p)).map_err(os_err)?;
        let w = WriteMultipart::new_with_chunk_size(upload, part);
        *out = Box::into_raw(Box::new(IosWriter {
            inner: Some(w),
            max_concurrency: if max_concurrency == 0 { 4 } else { max_concurrency },
            scrub: s.scrub.clone(),
        }));
        Ok(())
    })
}

/// Buffer `len` bytes; blocks while `max_concurrency` parts are in flight.
/// After an error the writer is unusable; call `ios_writer_abort`.
#[no_mangle]
pub unsafe extern "C" fn ios_writer_write(
    w: *mut IosWriter,
    data: *const u8,
    len: usize,
    err_msg: *mut *mut c_char,
) -> i32 {
    let scrub = w.as_ref().map(|w| w.scrub.clone());
    ffi(err_msg, scrub.as_ref(), || {
        let w = w.as_mut().ok_or_else(|| Failure::invalid("writer handle is NULL"))?;
        let max = w.max_concurrency;
        let inner = w
            .inner
            .as_mut()
            .ok_or_else(|| Failure::invalid("writer already failed/closed"))?;
        if len == 0 {
            return Ok(());
        }
        if data.is_null() {
            return Err(Failure::invalid("data is NULL but len > 0"));
        }
        let slice = std::slice::from_raw_parts(data, len);
        let rt = rt();
        let res = rt.block_on(async {
            inner.wait_for_capacity(max).await?;
            inner.write(slice); // spawns part uploads on the runtime
            Ok::<_, object_store::Error>(())
        });
        res.map_err(os_err)
    })
}

/// Flush and complete the upload; always frees the writer. On failure the
/// upload is aborted (uploaded parts are cleaned up where possible).
#[no_mangle]
pub unsafe extern "C" fn ios_writer_close(
    w: *mut IosWriter,
    etag_out: *mut *mut c_char,
    err_msg: *mut *mut c_char,
) -> i32 {
    let scrub = w.as_ref().map(|w| w.scrub.clone());
    ffi(err_msg, scrub.as_ref(), || {
        if !etag_out.is_null() {
            *etag_out = ptr::null_mut();
        }
        if w.is_null() {
            return Err(Failure::invalid("writer handle is NULL"));
        }
        let mut w = Box::from_raw(w);
        let inner = w
            .inner
            .take()
            .ok_or_else(|| Failure::invalid("writer already failed/closed"))?;
        let res = rt().block_on(inner.finish()).map_err(os_err)?;
        if !etag_out.is_null() {
            if let Some(t) = res.e_tag.as_deref() {
                *etag_out = to_cstring(t);
            }
        }
        Ok(())
    })
}

/// Abort the upload and free the writer.
#[no_mangle]
pub unsafe extern "C" fn ios_writer_abort(w: *mut IosWriter, err_msg: *mut *mut c_char) -> i32 {
    let scrub = w.as_ref().map(|w| w.scrub.clone());
    ffi(err_msg, scrub.as_ref(), || {
        if w.is_null() {
            return Ok(());
        }
        let mut w = Box::from_raw(w);
        if let Some(inner) = w.inner.take() {
            rt().block_on(inner.abort()).map_err(os_err)?;
        }
        Ok(())
    })
}

/// Human-readable name of a status code (static string, do not free).
#[no_mangle]
pub extern "C" fn ios_code_name(code: i32) -> *const c_char {
    let s: &'static [u8] = match code {
        IOS_OK => b"OK\0",
        IOS_NOT_FOUND => b"NOT_FOUND\0",
        IOS_ALREADY_EXISTS => b"ALREADY_EXISTS\0",
        IOS_PRECONDITION => b"PRECONDITION\0",
        IOS_CONFLICT => b"CONFLICT\0",
        IOS_UNAUTHENTICATED => b"UNAUTHENTICATED\0",
        IOS_PERMISSION_DENIED => b"PERMISSION_DENIED\0",
        IOS_INVALID_ARGUMENT => b"INVALID_ARGUMENT\0",
        IOS_NOT_SUPPORTED => b"NOT_SUPPORTED\0",
        IOS_IO => b"IO\0",
        IOS_INTERNAL => b"INTERNAL\0",
        _ => b"UNKNOWN\0",
    };
    s.as_ptr() as *const c_char
}

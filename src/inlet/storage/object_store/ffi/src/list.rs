//! Listing: recursive pages (start-after pushed down to the store) and one
//! '/'-delimited level.

use super::*;

pub struct IosList {
    stream: Option<BoxStream<'static, object_store::Result<ObjectMeta>>>,
    scrub: Scrubber,
}

#[repr(C)]
pub struct IosListPage {
    pub entries: *mut IosMeta,
    pub count: usize,
}

/// Start a recursive listing of `prefix` (NULL or "" = everything under the
/// store's root). If `start_after` is non-NULL only keys strictly greater are
/// returned (pushed down to S3 StartAfter / GCS startOffset).
#[no_mangle]
pub unsafe extern "C" fn ios_list_open(
    store: *const IosStore,
    prefix: *const c_char,
    start_after: *const c_char,
    out: *mut *mut IosList,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        let s = store_ref(store)?;
        if out.is_null() {
            return Err(Failure::invalid("out is NULL"));
        }
        *out = ptr::null_mut();
        let prefix = match opt_cstr(prefix, "prefix")? {
            Some(p) if !p.is_empty() => Some(parse_path(p)?),
            _ => None,
        };
        let start_after = match opt_cstr(start_after, "start_after")? {
            Some(p) if !p.is_empty() => Some(parse_path(p)?),
            _ => None,
        };
        let _g = rt().enter();
        let stream = match start_after {
            // Filter client-side too: start-after is exclusive by contract, but
            // some emulators (fake-gcs-server 1.56 XML list) ignore it.
            Some(off) => s
                .store
                .list_with_offset(prefix.as_ref(), &off)
                .filter(move |r| {
                    futures::future::ready(match r {
                        Ok(m) => m.location > off,
                        Err(_) => true,
                    })
                })
                .boxed(),
            None => s.store.list(prefix.as_ref()),
        };
        *out = Box::into_raw(Box::new(IosList { stream: Some(stream), scrub: s.scrub.clone() }));
        Ok(())
    })
}

/// Fetch up to `max_entries` entries. `page->count == 0` means the listing is
/// exhausted. The page must be released with `ios_list_page_free`.
#[no_mangle]
pub unsafe extern "C" fn ios_list_next(
    list: *mut IosList,
    max_entries: usize,
    page: *mut IosListPage,
    err_msg: *mut *mut c_char,
) -> i32 {
    let scrub = list.as_ref().map(|l| l.scrub.clone());
    ffi(err_msg, scrub.as_ref(), || {
        let l = list.as_mut().ok_or_else(|| Failure::invalid("list handle is NULL"))?;
        let page = page.as_mut().ok_or_else(|| Failure::invalid("page is NULL"))?;
        page.entries = ptr::null_mut();
        page.count = 0;
        let max = if max_entries == 0 { 1000 } else { max_entries };
        let mut v: Vec<IosMeta> = Vec::new();
        if let Some(stream) = l.stream.as_mut() {
            let res: R<bool> = rt().block_on(async {
                while v.len() < max {
                    match stream.next().await {
                        Some(Ok(m)) => v.push(meta_from(&m)),
                        Some(Err(e)) => return Err(os_err(e)),
                        None => return Ok(true),
                    }
                }
                Ok(false)
            });
            match res {
                Ok(done) => {
                    if done {
                        l.stream = None;
                    }
                }
                Err(e) => {
                    for m in v.iter_mut() {
                        meta_clear(m);
                    }
                    return Err(e);
                }
            }
        }
        let b = v.into_boxed_slice();
        page.count = b.len();
        page.entries = if page.count == 0 {
            drop(b);
            ptr::null_mut()
        } else {
            Box::into_raw(b) as *mut IosMeta
        };
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn ios_list_page_free(page: *mut IosListPage) {
    if let Some(p) = page.as_mut() {
        if !p.entries.is_null() {
            let mut b = Box::from_raw(ptr::slice_from_raw_parts_mut(p.entries, p.count));
            for m in b.iter_mut() {
                meta_clear(m);
            }
        }
        p.entries = ptr::null_mut();
        p.count = 0;
    }
}

#[no_mangle]
pub extern "C" fn ios_list_close(list: *mut IosList) {
    if !list.is_null() {
        let _g = rt().enter();
        unsafe { drop(Box::from_raw(list)) };
    }
}

/// One level of a listing: the objects directly below `prefix` and the
/// "directories" (common prefixes, as paths without a trailing '/') under it.
#[repr(C)]
pub struct IosDirListing {
    pub files: *mut IosMeta,
    pub file_count: usize,
    pub dirs: *mut *mut c_char,
    pub dir_count: usize,
}

#[no_mangle]
pub unsafe extern "C" fn ios_list_dir(
    store: *const IosStore,
    prefix: *const c_char,
    out: *mut IosDirListing,
    err_msg: *mut *mut c_char,
) -> i32 {
    ffi(err_msg, scrub_of(store), || {
        let s = store_ref(store)?;
        let out = out.as_mut().ok_or_else(|| Failure::invalid("out is NULL"))?;
        *out = IosDirListing { files: ptr::null_mut(), file_count: 0, dirs: ptr::null_mut(), dir_count: 0 };
        let prefix = match opt_cstr(prefix, "prefix")? {
            Some(p) if !p.is_empty() => Some(parse_path(p)?),
            _ => None,
        };
        let listed = rt().block_on(s.store.list_with_delimiter(prefix.as_ref())).map_err(os_err)?;
        let files: Vec<IosMeta> = listed.objects.iter().map(meta_from).collect();
        let dirs: Vec<*mut c_char> = listed.common_prefixes.iter().map(|p| to_cstring(p.as_ref())).collect();
        out.file_count = files.len();
        out.dir_count = dirs.len();
        if !files.is_empty() {
            out.files = Box::into_raw(files.into_boxed_slice()) as *mut IosMeta;
        }
        if !dirs.is_empty() {
            out.dirs = Box::into_raw(dirs.into_boxed_slice()) as *mut *mut c_char;
        }
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn ios_dir_listing_free(listing: *mut IosDirListing) {
    if let Some(l) = listing.as_mut() {
        if !l.files.is_null() {
            let mut b = Box::from_raw(ptr::slice_from_raw_parts_mut(l.files, l.file_count));
            for m in b.iter_mut() {
                meta_clear(m);
            }
        }
        if !l.dirs.is_null() {
            let b = Box::from_raw(ptr::slice_from_raw_parts_mut(l.dirs, l.dir_count));
            for d in b.iter() {
                ios_string_free(*d);
            }
        }
        *l = IosDirListing { files: ptr::null_mut(), file_count: 0, dirs: ptr::null_mut(), dir_count: 0 };
    }
}

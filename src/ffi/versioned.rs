//! `struct_size`: how caller structs (options, callbacks, send request, stats) can grow.
//!
//! Every such struct starts with `uint32_t struct_size`, set by its initializer (or by
//! the caller to `sizeof`). The SDK reads or writes only that many bytes. Accepted sizes
//! are exactly the sizes the struct had in some released header (a size in between would
//! cut a field in half); fields a smaller, older struct lacks take their defaults. A size
//! larger than this library knows is refused: the caller was compiled against a newer
//! header than the library it runs with, and ignoring fields it set (TLS pins, say)
//! silently would be worse than a clear error.

use crate::error::{Error, Result};

/// A `#[repr(C)]` struct whose first field is `struct_size: u32`.
///
/// # Safety
/// Implementors are `#[repr(C)]`, start with a `u32` size field, and every bit pattern of
/// every field is valid (integers, raw pointers, nullable function pointers).
pub(crate) unsafe trait Versioned: Copy {
    /// Human name for error messages (`ImOptions`).
    const NAME: &'static str;
    /// `sizeof` of each released version, oldest first; the last is the current one.
    const SIZES: &'static [usize];
}

/// Checks that `size` is a released `sizeof(T)`.
fn check_size<T: Versioned>(size: usize) -> Result<()> {
    if T::SIZES.contains(&size) {
        return Ok(());
    }
    let current = T::SIZES[T::SIZES.len() - 1];
    let hint = if size == 0 {
        format!(
            "struct_size is 0: set it to sizeof({}) = {current}",
            T::NAME
        )
    } else if size > current {
        format!(
            "struct_size {size} is larger than this library's sizeof({}) = {current}: \
             the program was built against a newer imsdk.h than the library it runs with",
            T::NAME
        )
    } else {
        format!(
            "struct_size {size} is not a released sizeof({}) (current {current})",
            T::NAME
        )
    };
    Err(Error::invalid_argument(hint))
}

/// Checks the `struct_size` at `ptr` and returns it.
///
/// # Safety
/// `ptr` is NULL or points to at least 4 readable bytes.
unsafe fn checked_size<T: Versioned>(ptr: *const T) -> Result<usize> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!(
            "{} pointer is NULL",
            T::NAME
        )));
    }
    let size = ptr.cast::<u32>().read_unaligned() as usize;
    check_size::<T>(size)?;
    Ok(size)
}

/// Initialises the caller's struct of `size` bytes (its `sizeof`) with the first `size`
/// bytes of `value`, and sets its `struct_size` to `size`.
///
/// # Safety
/// `ptr` is NULL or writable for `size` bytes.
pub(crate) unsafe fn init_versioned<T: Versioned>(
    ptr: *mut T,
    size: usize,
    value: &T,
) -> Result<()> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!(
            "{} pointer is NULL",
            T::NAME
        )));
    }
    check_size::<T>(size)?;
    std::ptr::copy_nonoverlapping((value as *const T).cast::<u8>(), ptr.cast::<u8>(), size);
    ptr.cast::<u32>().write_unaligned(size as u32);
    Ok(())
}

/// Reads the caller's struct over `defaults`: fields beyond its `struct_size` keep the
/// defaults.
///
/// # Safety
/// `ptr` is NULL or points to a struct of at least its own `struct_size` readable bytes.
pub(crate) unsafe fn read_versioned<T: Versioned>(ptr: *const T, defaults: T) -> Result<T> {
    let size = checked_size(ptr)?;
    let mut out = defaults;
    std::ptr::copy_nonoverlapping(ptr.cast::<u8>(), (&mut out as *mut T).cast::<u8>(), size);
    Ok(out)
}

/// Writes `value` into the caller's struct, only its `struct_size` bytes; the caller's
/// `struct_size` is kept.
///
/// # Safety
/// `ptr` is NULL or points to a writable struct of at least its `struct_size` bytes.
pub(crate) unsafe fn write_versioned<T: Versioned>(ptr: *mut T, value: &T) -> Result<()> {
    let size = checked_size(ptr)?;
    // Skip the size field itself: the caller's value stays.
    let skip = std::mem::size_of::<u32>();
    std::ptr::copy_nonoverlapping(
        (value as *const T).cast::<u8>().add(skip),
        ptr.cast::<u8>().add(skip),
        size - skip,
    );
    Ok(())
}

/// The current size, for initializers.
pub(crate) fn current_size<T: Versioned>() -> u32 {
    T::SIZES[T::SIZES.len() - 1] as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::codes;

    /// Version 1 had `a`; version 2 appended `b`.
    #[repr(C)]
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct V2 {
        struct_size: u32,
        a: u32,
        b: u64,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct V1 {
        struct_size: u32,
        a: u32,
    }
    unsafe impl Versioned for V2 {
        const NAME: &'static str = "V2";
        const SIZES: &'static [usize] = &[std::mem::size_of::<V1>(), std::mem::size_of::<V2>()];
    }
    const DEFAULTS: V2 = V2 {
        struct_size: 16,
        a: 1,
        b: 2,
    };

    #[test]
    fn current_struct_is_read_whole() {
        let v = V2 {
            struct_size: 16,
            a: 10,
            b: 20,
        };
        assert_eq!(unsafe { read_versioned(&v, DEFAULTS) }.unwrap(), v);
    }

    #[test]
    fn older_smaller_struct_is_read_without_overrun_and_gets_defaults() {
        let old = V1 {
            struct_size: 8,
            a: 10,
        };
        let got = unsafe { read_versioned((&old as *const V1).cast::<V2>(), DEFAULTS) }.unwrap();
        assert_eq!((got.a, got.b), (10, 2));
    }

    #[test]
    fn bad_sizes_are_refused_with_a_reason() {
        for (size, needle) in [
            (0, "set it to"),
            (12, "not a released"),
            (24, "newer imsdk.h"),
        ] {
            let v = V2 {
                struct_size: size,
                a: 0,
                b: 0,
            };
            let e = unsafe { read_versioned(&v, DEFAULTS) }.unwrap_err();
            assert_eq!(e.code, codes::INVALID_ARGUMENT);
            assert!(e.message.contains(needle), "{}", e.message);
        }
        let e = unsafe { read_versioned(std::ptr::null::<V2>(), DEFAULTS) }.unwrap_err();
        assert_eq!(e.message, "V2 pointer is NULL");
    }

    #[test]
    fn init_writes_only_the_callers_size() {
        let mut old = [
            V1 {
                struct_size: 0,
                a: 0,
            },
            V1 {
                struct_size: 77,
                a: 77,
            },
        ];
        unsafe { init_versioned(old.as_mut_ptr().cast::<V2>(), 8, &DEFAULTS) }.unwrap();
        assert_eq!((old[0].struct_size, old[0].a), (8, 1));
        assert_eq!(
            (old[1].struct_size, old[1].a),
            (77, 77),
            "neighbour untouched"
        );
        let mut v = V2 {
            struct_size: 0,
            a: 0,
            b: 0,
        };
        unsafe { init_versioned(&mut v, 16, &DEFAULTS) }.unwrap();
        assert_eq!(v, DEFAULTS);
        let e = unsafe { init_versioned(&mut v, 17, &DEFAULTS) }.unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
        let e = unsafe { init_versioned(std::ptr::null_mut(), 16, &DEFAULTS) }.unwrap_err();
        assert_eq!(e.code, codes::INVALID_ARGUMENT);
    }

    #[test]
    fn write_touches_only_struct_size_bytes() {
        let mut old = [
            V1 {
                struct_size: 8,
                a: 0,
            },
            V1 {
                struct_size: 77,
                a: 77,
            },
        ];
        let value = V2 {
            struct_size: 16,
            a: 5,
            b: 6,
        };
        unsafe { write_versioned(old.as_mut_ptr().cast::<V2>(), &value) }.unwrap();
        assert_eq!((old[0].struct_size, old[0].a), (8, 5));
        assert_eq!(
            (old[1].struct_size, old[1].a),
            (77, 77),
            "neighbour untouched"
        );
    }
}

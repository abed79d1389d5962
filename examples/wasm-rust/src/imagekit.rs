//! Byte crunching for a JS worker, compiled to `wasm32-unknown-unknown` as a cdylib: no WASI, no
//! imports at all; everything it touches is its own linear memory. The host (../worker.js) asks
//! for a buffer with `alloc`, copies the request body in, calls one function, reads the answer out
//! of memory and gives the buffer back with `dealloc`.
//!
//! - `crc32` / `adler32`: the checksums of zlib/PNG (CRC-32/ISO-HDLC, reflected 0xEDB88320), over
//!   `len` bytes at `ptr`.
//! - `grayscale`: RGBA pixels -> one luma byte per pixel (ITU-R BT.601 weights in 8-bit fixed
//!   point: (77 R + 150 G + 29 B + 128) >> 8), written in place at the start of the buffer.
//!   Returns the number of gray bytes, or -1 when `len` is not a whole number of RGBA pixels.

use std::alloc::{alloc as std_alloc, dealloc as std_dealloc, Layout};

// Built once, on first use: 1 KiB of table in linear memory, not in the JS heap.
static mut CRC_TABLE: [u32; 256] = [0; 256];
static mut CRC_TABLE_READY: bool = false;

fn crc_table() -> &'static [u32; 256] {
    // SAFETY: a wasm instance runs on one thread; the table is written once before any read.
    unsafe {
        if !CRC_TABLE_READY {
            for n in 0..256u32 {
                let mut c = n;
                for _ in 0..8 {
                    c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
                }
                CRC_TABLE[n as usize] = c;
            }
            CRC_TABLE_READY = true;
        }
        &CRC_TABLE
    }
}

fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        // SAFETY: the host passes a buffer it got from `alloc(len)` (or a prefix of one).
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

fn layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len.max(1), 8).ok()
}

/// A buffer of `len` bytes in linear memory (0 when memory cannot grow that far).
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    match layout(len) {
        // SAFETY: the layout has a non-zero size.
        Some(l) => unsafe { std_alloc(l) },
        None => std::ptr::null_mut(),
    }
}

/// Gives back a buffer from `alloc(len)`, with the same `len`.
#[no_mangle]
pub extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    if let (false, Some(l)) = (ptr.is_null(), layout(len)) {
        // SAFETY: `ptr` came from `alloc(len)`.
        unsafe { std_dealloc(ptr, l) }
    }
}

#[no_mangle]
pub extern "C" fn crc32(ptr: *const u8, len: usize) -> u32 {
    let table = crc_table();
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes(ptr, len) {
        c = table[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    c ^ 0xFFFF_FFFF
}

#[no_mangle]
pub extern "C" fn adler32(ptr: *const u8, len: usize) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that can be summed before b can overflow 32 bits (zlib's NMAX).
    for chunk in bytes(ptr, len).chunks(5552) {
        for &x in chunk {
            a += x as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[no_mangle]
pub extern "C" fn grayscale(ptr: *mut u8, len: usize) -> i32 {
    if len % 4 != 0 || len / 4 > i32::MAX as usize {
        return -1;
    }
    if len == 0 {
        return 0;
    }
    let n = len / 4;
    // Pixel i is read from bytes 4i..4i+3 before byte i is written, and i <= 4i: in place is safe.
    for i in 0..n {
        // SAFETY: 4i + 2 < len and i < len.
        unsafe {
            let (r, g, b) = (*ptr.add(4 * i) as u32, *ptr.add(4 * i + 1) as u32, *ptr.add(4 * i + 2) as u32);
            *ptr.add(i) = ((77 * r + 150 * g + 29 * b + 128) >> 8) as u8;
        }
    }
    n as i32
}

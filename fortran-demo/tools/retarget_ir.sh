#!/bin/sh
# retarget_ir.sh in.ll out.ll: makes flang-16's i386 LLVM IR compile for wasm32.
# flang-16 has no wasm32 target ("not yet implemented: target not implemented"), but its i386 IR
# has the same 32-bit pointers; dropping the data layout, the triple and the x86 CPU/feature
# attributes lets clang-16 --target=wasm32-wasi compile it (TOOLCHAINS.md §4).
set -e
sed -e '/^target datalayout/d' \
    -e 's/^target triple = .*/target triple = "wasm32-unknown-wasi"/' \
    -e 's/"target-cpu"="[^"]*"//g' -e 's/"target-features"="[^"]*"//g' \
    -e 's/"tune-cpu"="[^"]*"//g' "$1" > "$2.tmp"
mv "$2.tmp" "$2"

;; The wasm workload's module: fib(n) computed iteratively with wrapping i32 additions
;; (fib(0) = 0, fib(1) = 1). Every request calls fib(1000) and answers the result as unsigned.
;; fib.wasm is this file assembled with `wat2wasm fib.wat -o fib.wasm` (bench/workloads/wasm/gen
;; rewrites fib.wasm and the byte literal in edgerun.js; bench/run checks that they match).
(module
  (func (export "fib") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $t i32)
    (local.set $b (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a)))

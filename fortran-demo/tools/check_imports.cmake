# cmake -DOBJDUMP=wasm-objdump -DWASM=x.wasm -DSTAMP=x.ok -P check_imports.cmake
# Fails when the module imports any `_Fortran*` symbol: a Fortran runtime entry point that the
# shim does not provide would otherwise only surface when a request calls it.
execute_process(COMMAND "${OBJDUMP}" -x -j Import "${WASM}" OUTPUT_VARIABLE out
                ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 AND NOT "${out}${err}" MATCHES "Section not found")
  message(FATAL_ERROR "wasm-objdump failed on ${WASM}: ${err}")
endif()
string(REGEX MATCHALL "_Fortran[A-Za-z0-9_]*" missing "${out}")
if(missing)
  list(REMOVE_DUPLICATES missing)
  list(JOIN missing ", " names)
  message(STATUS "Flang runtime imports: ${names}")  # one unwrapped line, for tests and greps
  message(FATAL_ERROR "${WASM} imports Fortran runtime entry points the shim lacks: ${names}. "
                      "Use explicit loops instead of descriptor-based intrinsics, or extend "
                      "fortran-demo/shim/fortran_rt_shim.c.")
endif()
file(WRITE "${STAMP}" "ok\n")

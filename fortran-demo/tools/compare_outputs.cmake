# cmake -DWASM_CMD="node;run_wasi.mjs;x.wasm" -DNATIVE_CMD=x -P compare_outputs.cmake
# Runs both, requires the same stdout, stderr and exit code.
execute_process(COMMAND ${WASM_CMD} OUTPUT_VARIABLE wasm_out ERROR_VARIABLE wasm_err
                RESULT_VARIABLE wasm_rc)
execute_process(COMMAND ${NATIVE_CMD} OUTPUT_VARIABLE native_out ERROR_VARIABLE native_err
                RESULT_VARIABLE native_rc)
# flang's native runtime ends a STOP message with an extra newline; compare the lines.
string(STRIP "${wasm_err}" wasm_err)
string(STRIP "${native_err}" native_err)
set(failed OFF)
foreach(what out err rc)
  if(NOT "${wasm_${what}}" STREQUAL "${native_${what}}")
    message(SEND_ERROR "${what} differs.\n--- wasm:\n${wasm_${what}}\n--- native flang:\n${native_${what}}")
    set(failed ON)
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "the shim's output differs from flang-16's runtime")
endif()
message(STATUS "identical (${wasm_rc}):\n${wasm_out}")

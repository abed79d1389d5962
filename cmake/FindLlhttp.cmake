# FindLlhttp: llhttp 8.1 C sources from Debian's node-llhttp (/usr/share/llhttp/*.c), or the copy
# scripts/bootstrap unpacked into build/deps. Defines the OBJECT library llhttp::llhttp.
#
# It must be an OBJECT library: libnode.so.108 exports its own bundled llhttp 6.1. A STATIC archive
# listed after libnode is never pulled in by the linker, and the binary silently calls llhttp 6 code
# through llhttp 8 headers. tests/unit/llhttp_version_test.cc guards this.
include(FindPackageHandleStandardArgs)

set(_llhttp_prefixes ${LLHTTP_ROOT} ${V8_PREFIX} "${CMAKE_SOURCE_DIR}/build/deps/prefix/usr" /usr)
foreach(_p IN LISTS _llhttp_prefixes)
  if(EXISTS "${_p}/share/llhttp/llhttp.c" AND EXISTS "${_p}/share/include/llhttp/llhttp.h")
    set(LLHTTP_SOURCE_DIR "${_p}/share/llhttp")
    set(LLHTTP_INCLUDE_DIR "${_p}/share/include/llhttp")
    break()
  endif()
endforeach()

find_package_handle_standard_args(Llhttp
  REQUIRED_VARS LLHTTP_SOURCE_DIR LLHTTP_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "run scripts/bootstrap (it installs node-llhttp or unpacks it into build/deps)")

if(Llhttp_FOUND AND NOT TARGET llhttp::llhttp)
  add_library(edgerun_llhttp OBJECT
    "${LLHTTP_SOURCE_DIR}/api.c" "${LLHTTP_SOURCE_DIR}/http.c" "${LLHTTP_SOURCE_DIR}/llhttp.c")
  target_include_directories(edgerun_llhttp SYSTEM PUBLIC "${LLHTTP_INCLUDE_DIR}")
  # Strict mode: no lenient parsing of whitespace, line endings or header values.
  target_compile_definitions(edgerun_llhttp PUBLIC LLHTTP_STRICT_MODE=1)
  set_target_properties(edgerun_llhttp PROPERTIES POSITION_INDEPENDENT_CODE ON)
  add_library(llhttp::llhttp ALIAS edgerun_llhttp)
endif()

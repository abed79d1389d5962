# FindV8: V8 10.2 as shipped in Debian's libnode108 / libnode-dev (libnode.so.108).
#
# Looks in V8_ROOT (a prefix such as /usr), then in build/deps/prefix/usr (where scripts/bootstrap
# unpacks the .debs when apt refuses libnode-dev), then in /usr. Defines the imported target V8::V8
# and V8_LIBRARY_DIR (for rpaths). The include dir is include/nodejs/deps/v8/include: the complete
# V8 tree (include/node lacks v8-inspector.h).
include(FindPackageHandleStandardArgs)

if(NOT CMAKE_LIBRARY_ARCHITECTURE)
  set(CMAKE_LIBRARY_ARCHITECTURE x86_64-linux-gnu)
endif()
set(_v8_prefixes ${V8_ROOT} "${CMAKE_SOURCE_DIR}/build/deps/prefix/usr" /usr)

foreach(_p IN LISTS _v8_prefixes)
  if(EXISTS "${_p}/include/nodejs/deps/v8/include/v8.h"
     AND EXISTS "${_p}/lib/${CMAKE_LIBRARY_ARCHITECTURE}/libnode.so.108")
    set(V8_PREFIX "${_p}")
    break()
  endif()
endforeach()

if(V8_PREFIX)
  set(V8_INCLUDE_DIR "${V8_PREFIX}/include/nodejs/deps/v8/include")
  set(V8_LIBRARY "${V8_PREFIX}/lib/${CMAKE_LIBRARY_ARCHITECTURE}/libnode.so.108")
  set(V8_LIBRARY_DIR "${V8_PREFIX}/lib/${CMAKE_LIBRARY_ARCHITECTURE}")
endif()

find_package_handle_standard_args(V8
  REQUIRED_VARS V8_LIBRARY V8_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "run scripts/bootstrap (it installs libnode-dev or unpacks it into build/deps)")

if(V8_FOUND AND NOT TARGET V8::V8)
  add_library(V8::V8 SHARED IMPORTED)
  set_target_properties(V8::V8 PROPERTIES
    IMPORTED_LOCATION "${V8_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${V8_INCLUDE_DIR}")
  # libnode is built without pointer compression and without RTTI: never define
  # V8_COMPRESS_POINTERS, and compile every TU that subclasses a V8 interface with -fno-rtti.
endif()

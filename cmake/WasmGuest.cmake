# Guest programs compiled to WebAssembly at build time with Debian's clang-16 + wasi-libc
# (../shared/TOOLCHAINS.md §3). Used by examples/wasm-cpp, fortran-demo and the tests' fixtures.
#
#   edgerun_wasm_guest(NAME <target> OUT <file.wasm> SOURCES <.c/.cc/.o files>...
#                      [REACTOR] [NO_ENTRY] [EXPORTS sym...] [CFLAGS flag...] [LDFLAGS flag...]
#                      [DEPENDS file...])
#
# Compiles each C/C++ source with -O2 -c, links WITHOUT -O (clang's wasm driver runs binaryen's
# wasm-opt on optimized links when it is on PATH, which changes inlining and breaks --strip-all:
# TOOLCHAINS §3), always with --fatal-warnings (a signature mismatch is otherwise only a warning
# and the call becomes `unreachable`: TOOLCHAINS §4.2), then wasm-strip. `.o` files in SOURCES
# (e.g. Fortran objects from f2wasm) are linked as they are.
#   REACTOR   a WASI reactor (-mexec-model=reactor: _initialize, no _start)
#   NO_ENTRY  a library module without WASI start (-nostartfiles --no-entry); pair with EXPORTS
find_program(EDGERUN_WASM_CC clang-16 REQUIRED)
find_program(EDGERUN_WASM_CXX clang++-16 REQUIRED)
find_program(EDGERUN_WASM_STRIP wasm-strip REQUIRED)
find_program(EDGERUN_WASM_OBJDUMP wasm-objdump REQUIRED)
set(EDGERUN_WASM_CXXFLAGS -fno-exceptions -isystem /usr/include/wasm32-wasi/c++/v1)

function(edgerun_wasm_guest)
  cmake_parse_arguments(G "REACTOR;NO_ENTRY" "NAME;OUT"
                        "SOURCES;EXPORTS;CFLAGS;LDFLAGS;DEPENDS" ${ARGN})
  set(objdir "${CMAKE_CURRENT_BINARY_DIR}/wasm-obj/${G_NAME}")
  set(objects "")
  set(any_cxx OFF)
  foreach(src IN LISTS G_SOURCES)
    get_filename_component(abs "${src}" ABSOLUTE)
    get_filename_component(ext "${src}" LAST_EXT)
    if(ext STREQUAL ".o")
      list(APPEND objects "${abs}")
      continue()
    endif()
    get_filename_component(stem "${src}" NAME_WE)
    set(obj "${objdir}/${stem}${ext}.o")
    if(ext STREQUAL ".c")
      set(compiler "${EDGERUN_WASM_CC}")
      set(lang_flags "")
    else()
      set(compiler "${EDGERUN_WASM_CXX}")
      set(lang_flags ${EDGERUN_WASM_CXXFLAGS})
      set(any_cxx ON)
    endif()
    add_custom_command(
      OUTPUT "${obj}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${objdir}"
      COMMAND "${compiler}" --target=wasm32-wasi -O2 ${lang_flags} ${G_CFLAGS} -c "${abs}" -o "${obj}"
      DEPENDS "${abs}" ${G_DEPENDS}
      COMMENT "wasm32-wasi: compiling ${src}"
      VERBATIM)
    list(APPEND objects "${obj}")
  endforeach()
  set(link_flags -Wl,--fatal-warnings)
  if(G_REACTOR)
    list(APPEND link_flags -mexec-model=reactor)
  endif()
  if(G_NO_ENTRY)
    list(APPEND link_flags -nostartfiles -Wl,--no-entry)
  endif()
  foreach(sym IN LISTS G_EXPORTS)
    list(APPEND link_flags "-Wl,--export=${sym}")
  endforeach()
  if(any_cxx)
    set(linker "${EDGERUN_WASM_CXX}")
  else()
    set(linker "${EDGERUN_WASM_CC}")
  endif()
  add_custom_command(
    OUTPUT "${G_OUT}"
    COMMAND "${linker}" --target=wasm32-wasi ${link_flags} ${G_LDFLAGS} ${objects} -o "${G_OUT}"
    COMMAND "${EDGERUN_WASM_STRIP}" "${G_OUT}"
    DEPENDS ${objects}
    COMMENT "wasm32-wasi: linking ${G_OUT}"
    VERBATIM)
  add_custom_target(${G_NAME} ALL DEPENDS "${G_OUT}")
endfunction()

# edgerun_embed_js(OUT <file.cc> SOURCES <js files...>)
# Generates a C++ file defining edgerun::bindings::kBuiltinSources: the builtin JS files as
# one-byte string literals (so V8 can use them as external strings without a copy).
function(edgerun_embed_js)
  cmake_parse_arguments(ARG "" "OUT" "SOURCES" ${ARGN})
  add_custom_command(
    OUTPUT "${ARG_OUT}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${ARG_OUT} "-DSOURCES=${ARG_SOURCES}"
            -P "${CMAKE_SOURCE_DIR}/cmake/embed_js_script.cmake"
    DEPENDS ${ARG_SOURCES} "${CMAKE_SOURCE_DIR}/cmake/embed_js_script.cmake"
    COMMENT "Embedding builtin JS"
    VERBATIM)
endfunction()

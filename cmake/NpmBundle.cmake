# Third-party JavaScript from npm, bundled at build time (DESIGN.md: pinned by package-lock.json,
# never committed).
#
# edgerun_npm_install(NAME <name> DIR <dir with package.json + package-lock.json> OUT_STAMP <var>)
#   `npm ci` into ${CMAKE_BINARY_DIR}/npm/<name>/ whenever the lock file changes. Install scripts
#   are not run (--ignore-scripts): nothing we use needs them, and the build runs no code from the
#   registry except the bundler itself. Sets <var> to the stamp file that later steps depend on,
#   and <var>_MODULES to the node_modules directory.
#
# edgerun_bundle_js(OUT <file.js> ENTRY <entry.js> MODULES <node_modules> STAMP <stamp>...
#                   [BUILTIN] [TARGET <esbuild target>] [FORMAT iife|esm]
#                   [BUNDLER <node_modules holding esbuild>])
#   esbuild --bundle of ENTRY into one ASCII file. BUILTIN wraps it as a builtin of bindings/js:
#   `(function (internal, global) { ... })`, so the entry may use `internal` and `global`.
#   FORMAT esm makes an ES module (an example worker). BUNDLER defaults to MODULES.
find_program(EDGERUN_NPM npm)
find_program(EDGERUN_NODE NAMES node nodejs)
if(NOT EDGERUN_NPM OR NOT EDGERUN_NODE)
  message(FATAL_ERROR "npm and node are needed to bundle edgerun's JavaScript dependencies; "
                      "run scripts/bootstrap (it installs Debian's nodejs and npm).")
endif()

function(edgerun_npm_install)
  cmake_parse_arguments(ARG "" "NAME;DIR;OUT_STAMP" "" ${ARGN})
  set(work "${CMAKE_BINARY_DIR}/npm/${ARG_NAME}")
  set(stamp "${work}/.installed")
  add_custom_command(
    OUTPUT "${stamp}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${work}"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${ARG_DIR}/package.json"
            "${ARG_DIR}/package-lock.json" "${work}/"
    COMMAND ${EDGERUN_NPM} ci --ignore-scripts --no-audit --no-fund --loglevel=error
            --prefix "${work}"
    COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
    DEPENDS "${ARG_DIR}/package.json" "${ARG_DIR}/package-lock.json"
    COMMENT "npm ci (${ARG_NAME}): pinned JavaScript dependencies"
    VERBATIM)
  set(${ARG_OUT_STAMP} "${stamp}" PARENT_SCOPE)
  set(${ARG_OUT_STAMP}_MODULES "${work}/node_modules" PARENT_SCOPE)
endfunction()

function(edgerun_bundle_js)
  cmake_parse_arguments(ARG "BUILTIN" "OUT;ENTRY;MODULES;TARGET;FORMAT;BUNDLER" "STAMP" ${ARGN})
  if(NOT ARG_TARGET)
    set(ARG_TARGET chrome102)  # V8 10.2: esbuild lowers newer syntax, or fails naming it
  endif()
  if(NOT ARG_FORMAT)
    set(ARG_FORMAT iife)
  endif()
  if(NOT ARG_BUNDLER)
    set(ARG_BUNDLER "${ARG_MODULES}")
  endif()
  set(wrap "")
  if(ARG_BUILTIN)
    set(wrap "--banner:js=(function (internal, global) {" "--footer:js=})")
  endif()
  get_filename_component(entry_dir "${ARG_ENTRY}" DIRECTORY)
  file(GLOB_RECURSE entry_deps CONFIGURE_DEPENDS "${entry_dir}/*.js")
  add_custom_command(
    OUTPUT "${ARG_OUT}"
    # NODE_PATH: the entries live in the source tree, their packages in the build tree.
    COMMAND ${CMAKE_COMMAND} -E env "NODE_PATH=${ARG_MODULES}"
            ${EDGERUN_NODE} "${ARG_BUNDLER}/esbuild/bin/esbuild" "${ARG_ENTRY}" --bundle
            --format=${ARG_FORMAT} --target=${ARG_TARGET} --charset=ascii --legal-comments=eof
            --log-level=warning "--outfile=${ARG_OUT}" ${wrap}
    DEPENDS "${ARG_ENTRY}" ${entry_deps} ${ARG_STAMP}
    COMMENT "esbuild: ${ARG_ENTRY}"
    VERBATIM)
endfunction()

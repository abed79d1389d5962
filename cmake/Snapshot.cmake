# edgerun_snapshot: runs the edgerun_mksnapshot tool at build time and embeds its output in a
# static library (one .incbin in an assembly file, so the ~1 MB blob costs no compile time).
function(edgerun_add_snapshot_library)
  set(blob "${CMAKE_BINARY_DIR}/generated/snapshot.bin")
  set(asm "${CMAKE_BINARY_DIR}/generated/snapshot_blob.S")
  add_custom_command(
    OUTPUT "${blob}"
    COMMAND edgerun_mksnapshot "${blob}"
    DEPENDS edgerun_mksnapshot
    COMMENT "Creating the V8 startup snapshot of the builtins"
    VERBATIM)
  file(WRITE "${asm}.in"
"  .section .rodata
  .global edgerun_snapshot_blob
  .global edgerun_snapshot_blob_end
  .balign 16
edgerun_snapshot_blob:
  .incbin \"${blob}\"
edgerun_snapshot_blob_end:
  .byte 0
  .section .note.GNU-stack,\"\",@progbits
")
  file(COPY_FILE "${asm}.in" "${asm}" ONLY_IF_DIFFERENT)
  set_source_files_properties("${asm}" PROPERTIES OBJECT_DEPENDS "${blob}")
  add_library(edgerun_snapshot STATIC "${asm}")
endfunction()

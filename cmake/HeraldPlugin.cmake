# herald_add_plugin(NAME SOURCES...): a built-in plugin, built as a module
# into lib/herald/plugins/ and installed there. Only the entry alias is
# exported; everything else is hidden.
function(herald_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE Herald::SDK herald_warnings)
  set_target_properties(${name} PROPERTIES
    PREFIX "libherald_"
    OUTPUT_NAME "${name}"
    LIBRARY_OUTPUT_DIRECTORY "${HERALD_PLUGIN_OUTPUT_DIR}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  install(TARGETS ${name} LIBRARY DESTINATION "${HERALD_PLUGIN_SUBDIR}" COMPONENT runtime)
endfunction()

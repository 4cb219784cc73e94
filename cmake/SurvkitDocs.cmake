# Manual pages and shell completion, installed where Debian looks for them.
#
# The pages are rendered at build time by docs/man/render.sh from the hand-written sources in
# docs/man/ and from the built survkit's own --help (commands, synopses, options), so a page cannot
# drift from the program. The bash and zsh completions read the same --help at run time through
# completion/survkit-help.awk, installed beside them, so every command and option completes as the
# installed survkit has it.
option(SURVKIT_MANPAGES "Render the manual pages (needs sh, awk and gzip; runs the built survkit)" ON)

set(SURVKIT_HELP_AWK_SOURCE ${PROJECT_SOURCE_DIR}/completion/survkit-help.awk)
set(SURVKIT_HELP_AWK ${CMAKE_INSTALL_FULL_DATADIR}/survkit/survkit-help.awk)
set(SURVKIT_MAN_DIR ${PROJECT_BINARY_DIR}/man)

if(SURVKIT_MANPAGES AND NOT CMAKE_CROSSCOMPILING)
  # The date on the pages: SOURCE_DATE_EPOCH when set (reproducible builds), else today.
  string(TIMESTAMP SURVKIT_MAN_DATE "%Y-%m-%d" UTC)
  file(GLOB SURVKIT_MAN_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/*.in)
  file(GLOB SURVKIT_PUBLIC_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/survkit/*.h)
  add_custom_command(OUTPUT ${SURVKIT_MAN_DIR}/rendered.stamp
    COMMAND sh ${PROJECT_SOURCE_DIR}/docs/man/render.sh $<TARGET_FILE:survkit_cli>
            ${SURVKIT_HELP_AWK_SOURCE} ${PROJECT_SOURCE_DIR}/docs/man ${PROJECT_SOURCE_DIR}/include
            ${SURVKIT_MAN_DIR} ${PROJECT_VERSION} ${SURVKIT_MAN_DATE}
    COMMAND ${CMAKE_COMMAND} -E touch ${SURVKIT_MAN_DIR}/rendered.stamp
    DEPENDS survkit_cli ${SURVKIT_MAN_SOURCES} ${SURVKIT_PUBLIC_HEADERS} ${SURVKIT_HELP_AWK_SOURCE}
            ${PROJECT_SOURCE_DIR}/docs/man/render.sh ${PROJECT_SOURCE_DIR}/docs/man/render.awk
    COMMENT "Rendering the manual pages from docs/man and survkit --help"
    VERBATIM)
  add_custom_target(survkit_man ALL DEPENDS ${SURVKIT_MAN_DIR}/rendered.stamp)
  install(DIRECTORY ${SURVKIT_MAN_DIR}/man1 DESTINATION ${CMAKE_INSTALL_MANDIR} COMPONENT runtime
    FILES_MATCHING PATTERN "*.1.gz")
  install(DIRECTORY ${SURVKIT_MAN_DIR}/man3 DESTINATION ${CMAKE_INSTALL_MANDIR} COMPONENT dev
    FILES_MATCHING PATTERN "*.3.gz")
endif()

# Completion: the bash file knows where the shared reader is installed (SURVKIT_HELP_AWK in the
# environment overrides it, as the tests do for the build tree).
configure_file(completion/survkit.bash.in ${PROJECT_BINARY_DIR}/completion/survkit @ONLY)
configure_file(completion/_survkit.in ${PROJECT_BINARY_DIR}/completion/_survkit @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/completion/survkit
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT runtime)
install(FILES ${PROJECT_BINARY_DIR}/completion/_survkit
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT runtime)
install(FILES ${SURVKIT_HELP_AWK_SOURCE} DESTINATION ${CMAKE_INSTALL_DATADIR}/survkit COMPONENT runtime)

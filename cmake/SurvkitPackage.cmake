# Debian packages through CPack (packaging/build-deb.sh builds them the way they are meant to be
# built: prefix /usr, Release, Debian's hardening flags):
#   survkit_VERSION_amd64.deb      the command, libsurvkit.so.MAJOR, manual pages (section 1),
#                                  bash and zsh completion
#   survkit-dev_VERSION_amd64.deb  headers, libsurvkit.a, the libsurvkit.so link, survkit.pc, the
#                                  CMake package, survkit(3)
# Depends of survkit come from the shared libraries actually linked (dpkg-shlibdeps); survkit
# ships a shlibs file and an ldconfig trigger for its library. The library lives in the survkit
# package rather than in a libsurvkitN package of its own so that `apt-get install
# ./survkit_*.deb` is the whole installation (lintian's package-name-doesnt-match-sonames is
# overridden for that reason; see README.md).
set(CPACK_GENERATOR DEB)
# Each package's synopsis is the first line of its component's description below; CPack would
# put CPACK_PACKAGE_DESCRIPTION_SUMMARY in front of it unless the summary is CPack's default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_POST_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/packaging/deb-ldconfig-trigger.cmake)
set(CPACK_PACKAGE_NAME survkit)
set(CPACK_PACKAGE_VENDOR "survkit developers")
set(CPACK_PACKAGE_CONTACT "survkit maintainers <maintainers@users.noreply.r-seed-d6546ee6.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# dpkg-shlibdeps: Depends from the NEEDED entries of what is packaged
if(NOT DEFINED CPACK_DEBIAN_PACKAGE_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME survkit)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS bash-completion)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
 "survival analysis whose numbers equal R's survival package
survkit fits Kaplan-Meier curves, log-rank tests, Cox proportional-hazards
models and their diagnostics (proportional-hazards test, residuals,
baseline hazard, prediction) on CSV or TSV data, with the numbers of R's
survival package, printed as R prints them, as JSON or as CSV.

This package holds the survkit command, its manual pages, its bash and zsh
completion, and the shared library libsurvkit that the command uses.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME survkit-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "survkit (= ${PROJECT_VERSION}), libgsl-dev, libopenblas-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
 "survival analysis in C: development files of libsurvkit
libsurvkit fits Kaplan-Meier curves, log-rank tests and Cox
proportional-hazards models whose numbers equal R's survival package, from
data files or from arrays in memory.

This package holds the headers, the static library, the pkg-config file,
the CMake package (find_package(survkit)) and the survkit(3) manual page.")

# Files every Debian package carries: copyright and changelog, in each package's doc directory;
# and the lintian overrides explained in README.md.
set(SURVKIT_DEB_DIR ${PROJECT_SOURCE_DIR}/packaging/debian)
configure_file(${SURVKIT_DEB_DIR}/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog @ONLY)
execute_process(COMMAND gzip -9n -c ${PROJECT_BINARY_DIR}/packaging/changelog
  OUTPUT_FILE ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
# (EXCLUDE_FROM_ALL: only in the packages, never in a plain `cmake --install`)
install(FILES ${SURVKIT_DEB_DIR}/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/survkit COMPONENT runtime EXCLUDE_FROM_ALL)
install(FILES ${SURVKIT_DEB_DIR}/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/survkit-dev COMPONENT dev EXCLUDE_FROM_ALL)
install(FILES ${SURVKIT_DEB_DIR}/survkit.lintian-overrides
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME survkit COMPONENT runtime
  EXCLUDE_FROM_ALL)

include(CPack)
cpack_add_component(runtime DISPLAY_NAME "survkit" REQUIRED)
cpack_add_component(dev DISPLAY_NAME "survkit-dev" DEPENDS runtime)

# Install rules: libraries (with SOVERSION), public headers, the CLI, survkit.pc, and a CMake
# package so that consumers can write find_package(survkit) and link survkit::survkit.
# Components (the Debian packages of cmake/SurvkitPackage.cmake): `runtime` (the CLI and the
# shared library) and `dev` (headers, static library, .so link, pkg-config and CMake files).
include(CMakePackageConfigHelpers)

install(TARGETS ${SURVKIT_LIBRARY_TARGETS} EXPORT survkitTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS survkit_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY include/survkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.h"
  PATTERN "mpi.h" EXCLUDE) # libsurvkit-mpi is not installed (yet): its header stays out too

set(SURVKIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/survkit)
install(EXPORT survkitTargets NAMESPACE survkit:: DESTINATION ${SURVKIT_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/survkitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/survkitConfig.cmake INSTALL_DESTINATION ${SURVKIT_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/survkitConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/survkitConfig.cmake ${PROJECT_BINARY_DIR}/survkitConfigVersion.cmake
  DESTINATION ${SURVKIT_CMAKE_DIR} COMPONENT dev)

# pkg-config: the private libraries are what a static link needs.
# The prefix is found relative to the .pc file itself, so an installed tree can be moved.
set(SURVKIT_PC_LIBS_PRIVATE "-lopenblas -lgsl -lreadstat -lzstd -lz -lpthread -lm")
file(RELATIVE_PATH SURVKIT_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
configure_file(cmake/survkit.pc.in ${PROJECT_BINARY_DIR}/survkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/survkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

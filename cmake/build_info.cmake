# The git revision reported by /health, read when the build is configured.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE PATOMIC_GIT_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT PATOMIC_GIT_REVISION)
  set(PATOMIC_GIT_REVISION "unknown")
endif()

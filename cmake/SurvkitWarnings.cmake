# survkit_warnings(target): the project's warning flags, per target (never global).
function(survkit_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith
    -Wformat=2 -Wundef -Wvla)
  if(SURVKIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

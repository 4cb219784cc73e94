/* version.c: the version of the library actually linked. */
#include "survkit/survkit.h"

#define SK_STR2(x) #x
#define SK_STR(x) SK_STR2(x)

const char *survkit_version_string(void)
{
    return SK_STR(SURVKIT_VERSION_MAJOR) "." SK_STR(SURVKIT_VERSION_MINOR) "." SK_STR(
        SURVKIT_VERSION_PATCH);
}

unsigned survkit_version_number(void) { return SURVKIT_VERSION_NUMBER; }

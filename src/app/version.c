/*
 * version.c - the program's version string.
 */
#include "tz/app.h"

const char *tz_version(void)
{
    return TZ_VERSION;
}

/*
 * password.h - the password policy (SPEC 2.2, DOMAIN 11.3): at least 8
 * characters, at least 3 of the 4 classes (upper, lower, digit, other), not the
 * user name (compared case-insensitively, also reversed). Pure, thread-safe.
 */
#ifndef TZ_PASSWORD_H
#define TZ_PASSWORD_H

#include "tz/err.h"

/* TZ_OK, or 422 with field "password" and a message that says which rule failed. */
enum tz_status tz_password_check(const char *username, const char *password, struct tz_err *err);

#endif

/*
 * app.h - the use cases: one function per action of the product. (Filled in as
 * the server is built.)
 */
#ifndef TZ_APP_H
#define TZ_APP_H

const char *tz_version(void);

#endif

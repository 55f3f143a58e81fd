/*
 * static.c - the web UI's files, served from the copies built into the binary
 * (tools/embed.c), so that the one program is the whole product and nothing
 * is read from disk or fetched from elsewhere at run time.
 *
 *   /                      web/index.html
 *   /<path>                web/<path>, for the UI's own files
 *   /vendor/echarts.min.js ECharts, from its npm package (scripts/deps.sh)
 *
 * Each answer carries a strong ETag (a hash of the file, computed once), so a
 * browser revalidates instead of downloading ECharts' megabyte again, and the
 * HTML a Content-Security-Policy that allows only this origin.
 */
#include "tz/embed.h"
#include "tz/http.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct web_file {
    const char *url;  /* as requested */
    const char *path; /* as embedded */
};

static const struct web_file aliases[] = {
    {"/", "web/index.html"},
    {"/vendor/echarts.min.js", "web/node_modules/echarts/dist/echarts.min.js"},
};

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".geojson", "application/geo+json"},
    {".json", "application/json"},
};

#define MAX_WEB_FILES 256

static char etags[MAX_WEB_FILES][24];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

/* FNV-1a over every embedded file, once: the ETag of each. */
static void compute_etags(void)
{
    for (unsigned i = 0; i < tz_embedded_count && i < MAX_WEB_FILES; i++) {
        uint64_t h = 1469598103934665603ull;
        const struct tz_embedded *f = &tz_embedded_files[i];
        for (size_t k = 0; k < f->len; k++)
            h = (h ^ f->data[k]) * 1099511628211ull;
        snprintf(etags[i], sizeof(etags[i]), "\"%016llx\"", (unsigned long long)h);
    }
}

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* The embedded file a URL names, or NULL: no "..", no node_modules but the aliases. */
static const struct tz_embedded *lookup(const char *url, unsigned *index)
{
    char path[256];
    const char *name = NULL;
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcmp(url, aliases[i].url) == 0)
            name = aliases[i].path;
    if (!name) {
        if (url[0] != '/' || strstr(url, "..") || strstr(url, "node_modules") ||
            strlen(url) + 4 >= sizeof(path))
            return NULL;
        snprintf(path, sizeof(path), "web%s", url);
        name = path;
    }
    for (unsigned i = 0; i < tz_embedded_count; i++) {
        if (strcmp(tz_embedded_files[i].path, name) == 0) {
            *index = i;
            return &tz_embedded_files[i];
        }
    }
    return NULL;
}

bool tz_http_static(struct tz_http_req *req, struct tz_http_resp *resp)
{
    unsigned index = 0;
    const struct tz_embedded *f = lookup(req->path, &index);
    if (!f || strncmp(f->path, "web/", 4) != 0)
        return false;
    pthread_once(&etags_once, compute_etags);
    const char *etag = index < MAX_WEB_FILES ? etags[index] : NULL;
    const char *if_none = tz_http_header(req, "If-None-Match");
    resp->content_type = content_type(f->path);
    resp->cache_control = "no-cache";
    if (etag) {
        tz_http_add_header(resp, "ETag", etag);
        if (if_none && strcmp(if_none, etag) == 0) {
            resp->status = 304;
            return true;
        }
    }
    if (strcmp(resp->content_type, "text/html; charset=utf-8") == 0) {
        tz_http_add_header(resp, "Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data: blob:; "
                           "style-src 'self' 'unsafe-inline'; connect-src 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        tz_http_add_header(resp, "Referrer-Policy", "no-referrer");
    }
    resp->status = 200;
    resp->static_data = f->data;
    resp->static_len = f->len;
    return true;
}

/*
 * geo.c - checks a district boundary before it is stored (see geo.h).
 *
 * DESIGN
 *
 * The walk follows GeoJSON's nesting (RFC 7946): a FeatureCollection holds
 * Features, a Feature holds one geometry, a Polygon is a list of rings, a
 * MultiPolygon a list of Polygons, a ring a list of positions. Each level
 * builds the path of what it checks ("features[2].geometry.coordinates[0][5]")
 * into a small buffer, so that the 422 says exactly where the document went
 * wrong; a path too long for the error's field is cut, never overflowed.
 *
 * Only what the map needs is enforced: numbers for positions (a third value,
 * the altitude, is allowed and ignored), closed rings, the extent of China.
 * Winding order and self-intersection are not checked: ECharts draws either.
 * Everything is bounded by the caps in geo.h, so a hostile document costs at
 * most one pass over its positions.
 */
#include "tz/geo.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct walk {
    struct tz_geo_summary *sum;
    struct tz_err *err;
};

static enum tz_status bad(struct walk *w, const char *path, const char *what)
{
    return tz_err_field(w->err, TZ_EINVAL, path, "'%s' %s", path, what);
}

/* Formats a path into buf (cut when too long: it only names the place in a message). */
static const char *path_of(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static const char *path_of(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return buf;
}

static bool is_number(struct json_object *v)
{
    return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int);
}

static enum tz_status position(struct walk *w, struct json_object *p, const char *path, double *lon,
                               double *lat)
{
    if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) < 2 ||
        json_object_array_length(p) > 3)
        return bad(w, path, "must be a position [longitude, latitude]");
    for (size_t i = 0; i < json_object_array_length(p); i++)
        if (!is_number(json_object_array_get_idx(p, i)))
            return bad(w, path, "must hold numbers");
    *lon = json_object_get_double(json_object_array_get_idx(p, 0));
    *lat = json_object_get_double(json_object_array_get_idx(p, 1));
    if (!isfinite(*lon) || !isfinite(*lat) || *lon < TZ_GEO_LON_MIN || *lon > TZ_GEO_LON_MAX ||
        *lat < TZ_GEO_LAT_MIN || *lat > TZ_GEO_LAT_MAX)
        return bad(w, path, "lies outside China (longitude 73-136, latitude 3-54)");
    struct tz_geo_summary *s = w->sum;
    if (++s->n_positions > TZ_GEO_MAX_POSITIONS)
        return bad(w, path, "is past the limit of 1000000 positions");
    if (s->n_positions == 1) {
        s->min_lon = s->max_lon = *lon;
        s->min_lat = s->max_lat = *lat;
    }
    s->min_lon = fmin(s->min_lon, *lon);
    s->max_lon = fmax(s->max_lon, *lon);
    s->min_lat = fmin(s->min_lat, *lat);
    s->max_lat = fmax(s->max_lat, *lat);
    return TZ_OK;
}

static enum tz_status ring(struct walk *w, struct json_object *r, const char *path)
{
    char sub[128];
    if (!json_object_is_type(r, json_type_array) || json_object_array_length(r) < 4)
        return bad(w, path, "must be a ring of at least 4 positions");
    size_t n = json_object_array_length(r);
    double lon0 = 0, lat0 = 0, lon = 0, lat = 0;
    for (size_t i = 0; i < n; i++) {
        path_of(sub, sizeof(sub), "%s[%zu]", path, i);
        enum tz_status s = position(w, json_object_array_get_idx(r, i), sub, &lon, &lat);
        if (s != TZ_OK)
            return s;
        if (i == 0) {
            lon0 = lon;
            lat0 = lat;
        }
    }
    if (lon != lon0 || lat != lat0)
        return bad(w, path, "must be closed (its last position equal to its first)");
    return TZ_OK;
}

static enum tz_status polygon(struct walk *w, struct json_object *p, const char *path)
{
    char sub[128];
    if (!json_object_is_type(p, json_type_array) || json_object_array_length(p) < 1)
        return bad(w, path, "must be a polygon: a list of rings");
    for (size_t i = 0; i < json_object_array_length(p); i++) {
        path_of(sub, sizeof(sub), "%s[%zu]", path, i);
        enum tz_status s = ring(w, json_object_array_get_idx(p, i), sub);
        if (s != TZ_OK)
            return s;
    }
    return TZ_OK;
}

static enum tz_status geometry(struct walk *w, struct json_object *g, const char *path)
{
    char sub[128];
    struct json_object *type = NULL, *coords = NULL;
    if (!json_object_is_type(g, json_type_object))
        return bad(w, path, "must be a geometry object");
    json_object_object_get_ex(g, "type", &type);
    const char *t = json_object_is_type(type, json_type_string) ? json_object_get_string(type) : "";
    path_of(sub, sizeof(sub), "%s.coordinates", path);
    json_object_object_get_ex(g, "coordinates", &coords);
    if (strcmp(t, "Polygon") == 0)
        return polygon(w, coords, sub);
    if (strcmp(t, "MultiPolygon") == 0) {
        if (!json_object_is_type(coords, json_type_array) || json_object_array_length(coords) < 1)
            return bad(w, sub, "must be a list of polygons");
        for (size_t i = 0; i < json_object_array_length(coords); i++) {
            char poly[128];
            path_of(poly, sizeof(poly), "%s[%zu]", sub, i);
            enum tz_status s = polygon(w, json_object_array_get_idx(coords, i), poly);
            if (s != TZ_OK)
                return s;
        }
        return TZ_OK;
    }
    path_of(sub, sizeof(sub), "%s.type", path);
    return bad(w, sub, "must be Polygon or MultiPolygon");
}

static enum tz_status feature(struct walk *w, struct json_object *f, const char *path)
{
    char sub[128];
    struct json_object *type = NULL, *geom = NULL, *props = NULL;
    if (!json_object_is_type(f, json_type_object))
        return bad(w, path, "must be a Feature object");
    json_object_object_get_ex(f, "type", &type);
    if (!json_object_is_type(type, json_type_string) ||
        strcmp(json_object_get_string(type), "Feature") != 0) {
        path_of(sub, sizeof(sub), "%s.type", path);
        return bad(w, sub, "must be \"Feature\"");
    }
    if (json_object_object_get_ex(f, "properties", &props) && props &&
        !json_object_is_type(props, json_type_object)) {
        path_of(sub, sizeof(sub), "%s.properties", path);
        return bad(w, sub, "must be an object or null");
    }
    if (++w->sum->n_features > TZ_GEO_MAX_FEATURES)
        return bad(w, path, "is past the limit of 2000 features");
    json_object_object_get_ex(f, "geometry", &geom);
    path_of(sub, sizeof(sub), "%s.geometry", path);
    return geometry(w, geom, sub);
}

enum tz_status tz_geo_check_boundary(struct json_object *doc, struct tz_geo_summary *out,
                                     struct tz_err *err)
{
    struct tz_geo_summary sum = {0};
    struct walk w = {.sum = &sum, .err = err};
    struct json_object *type = NULL, *features = NULL;
    enum tz_status s = TZ_OK;
    memset(out, 0, sizeof(*out));
    if (!json_object_is_type(doc, json_type_object))
        return tz_err_field(err, TZ_EINVAL, "type",
                            "a boundary is a GeoJSON FeatureCollection or Feature object");
    json_object_object_get_ex(doc, "type", &type);
    const char *t = json_object_is_type(type, json_type_string) ? json_object_get_string(type) : "";
    if (strcmp(t, "Feature") == 0) {
        s = feature(&w, doc, "feature");
    } else if (strcmp(t, "FeatureCollection") == 0) {
        json_object_object_get_ex(doc, "features", &features);
        if (!json_object_is_type(features, json_type_array) ||
            json_object_array_length(features) < 1)
            return tz_err_field(err, TZ_EINVAL, "features",
                                "'features' must be a non-empty list of Features");
        for (size_t i = 0; i < json_object_array_length(features) && s == TZ_OK; i++) {
            char path[32];
            path_of(path, sizeof(path), "features[%zu]", i);
            s = feature(&w, json_object_array_get_idx(features, i), path);
        }
    } else {
        return tz_err_field(err, TZ_EINVAL, "type", "'type' must be FeatureCollection or Feature");
    }
    if (s != TZ_OK)
        return s;
    *out = sum;
    return TZ_OK;
}

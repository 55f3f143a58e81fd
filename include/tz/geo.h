/*
 * geo.h - the district boundary the map draws (GET|PUT /map/boundary).
 *
 * An administrator may replace the built-in outline with the district's own
 * GeoJSON. Before it is stored it must be something the map can draw and
 * that plausibly outlines a place in China: a FeatureCollection of Features
 * (or one Feature) whose geometries are Polygons or MultiPolygons, every ring
 * closed and of at least four positions [lon, lat], every position inside
 * China's extent (longitude 73-136 E, latitude 3-54 N). Pure: no I/O.
 */
#ifndef TZ_GEO_H
#define TZ_GEO_H

#include "tz/err.h"

#include <json-c/json.h>
#include <stddef.h>

/* China's extent, in degrees: what a boundary's positions must lie within. */
#define TZ_GEO_LON_MIN 73.0
#define TZ_GEO_LON_MAX 136.0
#define TZ_GEO_LAT_MIN 3.0
#define TZ_GEO_LAT_MAX 54.0
/* Caps on what one boundary may hold. */
#define TZ_GEO_MAX_FEATURES  2000
#define TZ_GEO_MAX_POSITIONS 1000000

struct tz_geo_summary {
    size_t n_features;
    size_t n_positions;
    double min_lon, min_lat, max_lon, max_lat; /* the bounding box */
};

/*
 * Checks doc as a boundary (above). TZ_OK and *out filled, or 422 naming the
 * first offending part as a path ("features[3].geometry.type"). Thread-safe.
 */
enum tz_status tz_geo_check_boundary(struct json_object *doc, struct tz_geo_summary *out,
                                     struct tz_err *err);

#endif

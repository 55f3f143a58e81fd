/*
 * test_geo.c - the district boundary check (include/tz/geo.h).
 *
 * One table of documents: each either passes (with its feature count) or is
 * refused with the field expected, so every rule of geo.h - the two top-level
 * types, Polygon and MultiPolygon only, rings of four or more closed
 * positions, numbers, China's extent - fails exactly where it should. The
 * built-in outline (data/geo/chengdong.geojson) must pass and lie where the
 * demo's points are.
 */
#include "tz/geo.h"
#include "tz/json.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define SQ  "[[101.8,36.6],[101.81,36.6],[101.81,36.61],[101.8,36.61],[101.8,36.6]]"
#define FC1 "{\"type\":\"FeatureCollection\",\"features\":[" F(SQ) "]}"
#define F(ring)                                                                                    \
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"geometry\":{\"type\":\"Polygon\","    \
    "\"coordinates\":[" ring "]}}"

struct geo_case {
    const char *doc;
    const char *field; /* NULL: accepted */
    size_t n_features;
};

static const struct geo_case cases[] = {
    {FC1, NULL, 1},
    {"{\"type\":\"FeatureCollection\",\"features\":[" F(SQ) "," F(SQ) "]}", NULL, 2},
    {F(SQ), NULL, 1},
    /* a hole is a second ring */
    {F(SQ "," SQ), NULL, 1},
    /* altitude is allowed */
    {F("[[101.8,36.6,2200],[101.81,36.6,2200],[101.81,36.61,2200],[101.8,36.6,2200]]"), NULL, 1},
    {"{\"type\":\"Feature\",\"properties\":null,\"geometry\":{\"type\":\"MultiPolygon\","
     "\"coordinates\":[[" SQ "],[" SQ "]]}}",
     NULL, 1},
    {"[]", "type", 0},
    {"{\"type\":\"Topology\"}", "type", 0},
    {"{\"type\":\"FeatureCollection\"}", "features", 0},
    {"{\"type\":\"FeatureCollection\",\"features\":[]}", "features", 0},
    {"{\"type\":\"FeatureCollection\",\"features\":[1]}", "features[0]", 0},
    {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Point\"}]}", "features[0].type", 0},
    {"{\"type\":\"Feature\",\"properties\":[],\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
     "[" SQ "]}}",
     "feature.properties", 0},
    {"{\"type\":\"Feature\",\"geometry\":null}", "feature.geometry", 0},
    {"{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[]}}",
     "feature.geometry.type", 0},
    {"{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[]}}",
     "feature.geometry.coordinates", 0},
    {F("[[101.8,36.6],[101.81,36.6],[101.8,36.6]]"), "feature.geometry.coordinates[0]", 0},
    {F("[[101.8,36.6],[101.81,36.6],[101.81,36.61],[101.8,36.61]]"),
     "feature.geometry.coordinates[0]", 0},
    {F("[[101.8,36.6],[101.81,36.6],[101.81,\"36.61\"],[101.8,36.6]]"),
     "feature.geometry.coordinates[0][2]", 0},
    {F("[[101.8,36.6],[101.81],[101.81,36.61],[101.8,36.6]]"), "feature.geometry.coordinates[0][1]",
     0},
    {F("[[101.8,36.6],[101.81,36.6,1,2],[101.81,36.61],[101.8,36.6]]"),
     "feature.geometry.coordinates[0][1]", 0},
    /* outside China: New York, the southern hemisphere, latitude and longitude swapped */
    {F("[[-74.0,40.7],[-73.9,40.7],[-73.9,40.8],[-74.0,40.7]]"),
     "feature.geometry.coordinates[0][0]", 0},
    {F("[[101.8,-36.6],[101.81,-36.6],[101.81,-36.61],[101.8,-36.6]]"),
     "feature.geometry.coordinates[0][0]", 0},
    {F("[[36.6,101.8],[36.6,101.81],[36.61,101.81],[36.6,101.8]]"),
     "feature.geometry.coordinates[0][0]", 0},
    {"{\"type\":\"Feature\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[" SQ
     "],[[]]]}}",
     "feature.geometry.coordinates[1][0]", 0},
    {"{\"type\":\"FeatureCollection\",\"features\":[" F(SQ) "," F(SQ "," SQ ",[1,2]") "]}",
     "features[1].geometry.coordinates[2]", 0},
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        const struct geo_case *c = &cases[i];
        struct tz_err err;
        struct tz_geo_summary sum;
        tz_err_clear(&err);
        struct json_object *doc = tz_json_parse(c->doc, strlen(c->doc), &err);
        assert_non_null(doc);
        enum tz_status s = tz_geo_check_boundary(doc, &sum, &err);
        if (!c->field) {
            if (s != TZ_OK)
                fail_msg("case %zu refused: %s (%s)", i, err.msg, err.field);
            assert_int_equal(sum.n_features, c->n_features);
        } else {
            if (s != TZ_EINVAL)
                fail_msg("case %zu accepted, expected 422 on %s", i, c->field);
            assert_string_equal(err.field, c->field);
            assert_int_equal(sum.n_features, 0);
        }
        json_object_put(doc);
    }
}

static void test_bbox(void **state)
{
    (void)state;
    const char *doc = "{\"type\":\"FeatureCollection\",\"features\":[" F(SQ) "," F(
        "[[101.9,36.55],[101.95,36.55],[101.95,36.56],[101.9,36.55]]") "]}";
    struct tz_err err;
    struct tz_geo_summary sum;
    struct json_object *o = tz_json_parse(doc, strlen(doc), &err);
    assert_int_equal(tz_geo_check_boundary(o, &sum, &err), TZ_OK);
    assert_int_equal(sum.n_positions, 9);
    assert_true(sum.min_lon == 101.8 && sum.max_lon == 101.95);
    assert_true(sum.min_lat == 36.55 && sum.max_lat == 36.61);
    json_object_put(o);
}

static void test_builtin_outline(void **state)
{
    (void)state;
    const char *dir = getenv("TZ_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/data/geo/chengdong.geojson", dir ? dir : ".");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    struct tz_err err;
    struct tz_geo_summary sum;
    struct json_object *o = tz_json_parse(buf, n, &err);
    assert_non_null(o);
    assert_int_equal(tz_geo_check_boundary(o, &sum, &err), TZ_OK);
    assert_true(sum.n_features >= 2);
    /* 城东区, Xining: roughly 101.77-101.93 E, 36.54-36.66 N */
    assert_true(sum.min_lon > 101.76 && sum.max_lon < 101.94);
    assert_true(sum.min_lat > 36.53 && sum.max_lat < 36.67);
    json_object_put(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_bbox),
        cmocka_unit_test(test_builtin_outline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

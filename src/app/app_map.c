/*
 * app_map.c - what the war map's map draws: the district boundary and the
 * located items.
 *
 * The boundary is GeoJSON the browser hands to ECharts (registerMap); no tile
 * server and nothing from the internet. The built-in one is an approximate
 * outline of 城东区 shipped as data/geo/chengdong.geojson; an administrator may
 * store the district's own (checked by core/geo.c) in the meta table under
 * "map_boundary", and remove it again to fall back to the built-in one.
 *
 * The located items are a compact list (id, code, title, ledger, status,
 * light, position) of the items the caller may see, scoped exactly as
 * GET /items, so that the map draws thousands of points from one request
 * rather than paging through whole items.
 */
#include "app_internal.h"
#include "tz/embed.h"
#include "tz/geo.h"
#include "tz/json.h"

#include <stdio.h>
#include <string.h>

#define META_KEY "map_boundary"
#define BUILTIN  "data/geo/chengdong.geojson"

enum tz_status tz_app_map_boundary(struct tz_call *call, const char **text_out, size_t *len_out,
                                   bool *uploaded_out, struct tz_err *err)
{
    const char *text = NULL;
    *text_out = NULL;
    *len_out = 0;
    *uploaded_out = false;
    enum tz_status s =
        TZ_STORE(call->conn)->meta_get(call->conn, META_KEY, call->arena, &text, err);
    if (s != TZ_OK)
        return s;
    if (text && *text) {
        *text_out = text;
        *len_out = strlen(text);
        *uploaded_out = true;
        return TZ_OK;
    }
    const struct tz_embedded *f = tz_embed_find(BUILTIN);
    if (!f)
        return tz_err_set(err, TZ_ENOTFOUND, "no district boundary is built in");
    *text_out = (const char *)f->data;
    *len_out = f->len;
    return TZ_OK;
}

static enum tz_status need_admin(struct tz_call *call, struct tz_err *err)
{
    if (!(call->user.roles & TZ_ROLE_ADMIN))
        return tz_err_set(err, TZ_EFORBIDDEN, "only an administrator sets the district boundary");
    return TZ_OK;
}

/* Stores value under the key (NULL: the empty text, which means none), audited, committed. */
static enum tz_status store_boundary(struct tz_call *call, const char *value, const char *action,
                                     const char *detail, struct tz_err *err)
{
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->meta_set(call->conn, META_KEY, value ? value : "", err);
    if (s == TZ_OK)
        s = tz_app_audit(call, action, "map:boundary", detail, err);
    return tz_app_end(call, s, err);
}

enum tz_status tz_app_map_boundary_put(struct tz_call *call, const char *text, size_t len,
                                       struct json_object **out, struct tz_err *err)
{
    struct tz_geo_summary sum;
    enum tz_status s = need_admin(call, err);
    if (s != TZ_OK)
        return s;
    if (len > TZ_MAP_BOUNDARY_MAX)
        return tz_err_set(err, TZ_ETOOLARGE, "a boundary is at most %u bytes",
                          (unsigned)TZ_MAP_BOUNDARY_MAX);
    struct json_object *doc = tz_json_parse(text, len, err);
    if (!doc)
        return TZ_EBADREQ;
    s = tz_geo_check_boundary(doc, &sum, err);
    if (s == TZ_OK) {
        size_t clen = 0;
        const char *compact = tz_json_compact(doc, &clen);
        const char *detail = tz_arena_printf(call->arena,
                                             "{\"features\":%zu,\"positions\":%zu,\"bytes\":%zu,"
                                             "\"bbox\":[%.6f,%.6f,%.6f,%.6f]}",
                                             sum.n_features, sum.n_positions, clen, sum.min_lon,
                                             sum.min_lat, sum.max_lon, sum.max_lat);
        s = store_boundary(call, compact, "map.boundary.update", detail, err);
    }
    json_object_put(doc);
    if (s != TZ_OK)
        return s;
    struct json_object *o = json_object_new_object(), *bbox = json_object_new_array();
    json_object_array_add(bbox, json_object_new_double(sum.min_lon));
    json_object_array_add(bbox, json_object_new_double(sum.min_lat));
    json_object_array_add(bbox, json_object_new_double(sum.max_lon));
    json_object_array_add(bbox, json_object_new_double(sum.max_lat));
    json_object_object_add(o, "source", json_object_new_string("uploaded"));
    json_object_object_add(o, "features", json_object_new_int64((int64_t)sum.n_features));
    json_object_object_add(o, "bbox", bbox);
    *out = o;
    return TZ_OK;
}

enum tz_status tz_app_map_boundary_delete(struct tz_call *call, struct tz_err *err)
{
    enum tz_status s = need_admin(call, err);
    if (s != TZ_OK)
        return s;
    return store_boundary(call, NULL, "map.boundary.delete", "{}", err);
}

enum tz_status tz_app_map_items(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    const struct tz_actor *a = &call->actor;
    struct tz_scope scope = {0};
    if (a->roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER)) {
        scope.all = true;
    } else if (a->roles & (TZ_ROLE_MANAGER | TZ_ROLE_STAFF | TZ_ROLE_VIEWER)) {
        scope.units = a->subtree;
        scope.n_units = a->n_subtree;
    } else {
        scope.none = true;
    }
    enum tz_status s = tz_app_lights_current(call, err);
    struct tz_located *v = NULL;
    size_t n = 0;
    bool more = false;
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)
                ->item_locations(call->conn, &scope, TZ_MAP_ITEMS_MAX, call->arena, &v, &n, &more,
                                 err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(v[i].id));
        json_object_object_add(o, "code", json_object_new_string(v[i].code));
        json_object_object_add(o, "title", json_object_new_string(v[i].title));
        json_object_object_add(o, "ledger", json_object_new_string(v[i].ledger));
        json_object_object_add(o, "status", json_object_new_string(v[i].status));
        json_object_object_add(o, "light", json_object_new_string(v[i].light));
        json_object_object_add(o, "lat", json_object_new_double(v[i].lat));
        json_object_object_add(o, "lon", json_object_new_double(v[i].lon));
        json_object_object_add(o, "address", tz_json_str_or_null(v[i].address));
        json_object_object_add(o, "lead_unit_id",
                               v[i].lead_unit_id ? json_object_new_int64(v[i].lead_unit_id) : NULL);
        json_object_array_add(arr, o);
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "items", arr);
    json_object_object_add(*out, "truncated", json_object_new_boolean(more));
    return TZ_OK;
}

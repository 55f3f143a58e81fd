/*
 * app_evidence.c - evidence files (佐证材料) on items.
 *
 * Files are content-addressed: stored once under data_dir/files/ab/<sha256>,
 * whatever their name or how often they are uploaded. Every check (visibility,
 * role, state, type, size, magic bytes) runs before a byte is written; the file
 * is written and fsynced before the transaction that records it commits, and
 * removed again if that transaction fails, so a refused upload leaves nothing.
 */
#include "app_internal.h"
#include "tz/log.h"
#include "tz/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The allowed types and the first bytes their files start with. */
static const struct {
    const char *type;
    const char *magic;
    size_t magic_len;
} allowed[] = {
    {"image/png", "\x89PNG\r\n\x1a\n", 8},
    {"image/jpeg", "\xff\xd8\xff", 3},
    {"application/pdf", "%PDF-", 5},
    {"application/msword", "\xd0\xcf\x11\xe0", 4},
    {"application/vnd.ms-excel", "\xd0\xcf\x11\xe0", 4},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04", 4},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04", 4},
    {"application/ofd", "PK\x03\x04", 4},
};

static int type_index(const char *content_type)
{
    if (!content_type)
        return -1;
    size_t len = strcspn(content_type, ";");
    while (len && content_type[len - 1] == ' ')
        len--;
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (strlen(allowed[i].type) == len && strncasecmp(allowed[i].type, content_type, len) == 0)
            return (int)i;
    return -1;
}

static enum tz_status check_item(struct tz_call *call, int64_t item_id, struct tz_item *it,
                                 struct tz_err *err)
{
    enum tz_status s = tz_app_item_load_visible(call, item_id, it, err);
    if (s != TZ_OK)
        return s;
    return tz_loop_check_attach(it, &call->actor, err);
}

enum tz_status tz_app_attach_precheck(struct tz_call *call, int64_t item_id,
                                      const char *content_type, uint64_t declared_len,
                                      struct tz_err *err)
{
    struct tz_item it;
    enum tz_status s = check_item(call, item_id, &it, err);
    if (s != TZ_OK)
        return s;
    if (type_index(content_type) < 0)
        return tz_err_set(err, TZ_EMEDIA,
                          "evidence must be PNG, JPEG, PDF, DOC/DOCX, XLS/XLSX or OFD");
    if (declared_len > call->ctx->cfg.max_upload)
        return tz_err_set(err, TZ_ETOOLARGE, "the file is larger than %zu bytes",
                          call->ctx->cfg.max_upload);
    return TZ_OK;
}

static enum tz_status mkdirs(const char *path, struct tz_err *err)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0750) != 0 && errno != EEXIST)
            return tz_err_set(err, TZ_EINTERNAL, "cannot create a folder for evidence");
        *p = '/';
    }
    if (mkdir(buf, 0750) != 0 && errno != EEXIST)
        return tz_err_set(err, TZ_EINTERNAL, "cannot create a folder for evidence");
    return TZ_OK;
}

/* Writes data to path durably (temp file, fsync, rename). *created false if it was there. */
static enum tz_status store_file(const char *dir, const char *path, const void *data, size_t len,
                                 bool *created, struct tz_err *err)
{
    *created = false;
    if (access(path, F_OK) == 0)
        return TZ_OK;
    enum tz_status s = mkdirs(dir, err);
    if (s != TZ_OK)
        return s;
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return tz_err_set(err, TZ_EINTERNAL, "cannot store the evidence file");
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return tz_err_set(err, TZ_EINTERNAL, "cannot store the evidence file");
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return tz_err_set(err, TZ_EINTERNAL, "cannot store the evidence file");
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    *created = true;
    return TZ_OK;
}

static const char *file_path(struct tz_ctx *ctx, struct tz_arena *a, const char *digest,
                             const char **dir_out)
{
    *dir_out = tz_arena_printf(a, "%s/files/%.2s", ctx->cfg.data_dir, digest);
    return tz_arena_printf(a, "%s/%s", *dir_out, digest);
}

/* A file name must be printable UTF-8 without path separators. */
static bool good_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 255 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return false;
    return true;
}

enum tz_status tz_app_attach(struct tz_call *call, int64_t item_id, const char *name,
                             const char *content_type, const void *data, size_t len,
                             struct json_object **out, struct tz_err *err)
{
    struct tz_item it;
    enum tz_status s = check_item(call, item_id, &it, err);
    if (s != TZ_OK)
        return s;
    if (!name || !good_name(name))
        return tz_err_field(err, TZ_EINVAL, "name",
                            "'name' must be a file name (1-255 bytes, no '/' or control "
                            "characters)");
    int ti = type_index(content_type);
    if (ti < 0)
        return tz_err_set(err, TZ_EMEDIA,
                          "evidence must be PNG, JPEG, PDF, DOC/DOCX, XLS/XLSX or OFD");
    if (len > call->ctx->cfg.max_upload)
        return tz_err_set(err, TZ_ETOOLARGE, "the file is larger than %zu bytes",
                          call->ctx->cfg.max_upload);
    if (len < allowed[ti].magic_len || memcmp(data, allowed[ti].magic, allowed[ti].magic_len))
        return tz_err_set(err, TZ_EMEDIA, "the file's content is not %s", allowed[ti].type);

    unsigned char d[crypto_hash_sha256_BYTES];
    char *digest = tz_arena_alloc(call->arena, 65);
    crypto_hash_sha256(d, data, len);
    sodium_bin2hex(digest, 65, d, sizeof(d));
    const char *dir = NULL, *path = file_path(call->ctx, call->arena, digest, &dir);
    bool created = false;
    s = store_file(dir, path, data, len, &created, err);
    if (s != TZ_OK)
        return s;

    struct tz_attachment at = {
        .item_id = item_id,
        .name = name,
        .size = (int64_t)len,
        .content_type = allowed[ti].type,
        .digest = digest,
        .uploaded_by = call->user.id,
        .uploaded_at = tz_ctx_now(call->ctx, call->arena),
    };
    s = TZ_APP_BEGIN(call, err);
    if (s == TZ_OK) {
        s = TZ_STORE(call->conn)->attachment_insert(call->conn, &at, err);
        if (s == TZ_OK)
            s = tz_app_item_attached(call, &it, &at, err);
        s = tz_app_end(call, s, err);
    }
    if (s != TZ_OK) {
        if (created)
            unlink(path);
        return s;
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(at.id));
    json_object_object_add(o, "name", json_object_new_string(at.name));
    json_object_object_add(o, "size", json_object_new_int64(at.size));
    json_object_object_add(o, "content_type", json_object_new_string(at.content_type));
    json_object_object_add(o, "digest", json_object_new_string(at.digest));
    json_object_object_add(o, "uploaded_by", json_object_new_int64(at.uploaded_by));
    json_object_object_add(o, "uploaded_at", json_object_new_string(at.uploaded_at));
    *out = o;
    return TZ_OK;
}

enum tz_status tz_app_attachment_get(struct tz_call *call, int64_t id, struct tz_download *out,
                                     struct tz_err *err)
{
    struct tz_attachment at;
    struct tz_item it;
    enum tz_status s = TZ_STORE(call->conn)->attachment_get(call->conn, id, call->arena, &at, err);
    if (s == TZ_OK)
        s = tz_app_item_load_visible(call, at.item_id, &it, err);
    if (s != TZ_OK)
        return tz_err_set(err, TZ_ENOTFOUND, "attachment %lld not found", (long long)id);
    const char *dir = NULL;
    out->path = file_path(call->ctx, call->arena, at.digest, &dir);
    out->name = at.name;
    out->content_type = at.content_type;
    out->size = at.size;
    struct tz_err ignore;
    if (TZ_APP_BEGIN(call, &ignore) == TZ_OK) {
        if (tz_app_audit(call, "attachment.download",
                         tz_arena_printf(call->arena, "attachment:%lld", (long long)id), "{}",
                         &ignore) == TZ_OK)
            tz_app_commit(call, &ignore);
        else
            TZ_STORE(call->conn)->rollback(call->conn);
    }
    return TZ_OK;
}

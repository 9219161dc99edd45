/* Datasets: the example loop, the writers and the manifest (see dataset.h;
 * the output files, formats, lengths and de-duplication are in their own
 * files, listed in dataset-private.h).
 *
 * Cost: O(total tokens) to draw (member: O(tokens * k) big-integer
 * comparisons) plus the bytes written; memory O(W) besides a 1 MiB buffer per
 * file, and 16 bytes per example with de-duplication. Files are hashed as
 * they are written: XXH3-128 (libxxhash, ~20 GB/s) by default, or SHA-256
 * on request (GLib's, ~0.26 GB/s here: it dominates the time of large
 * files; OpenSSL's with the CPU's SHA instructions reaches ~1.3 GB/s, but
 * loading libcrypto alone adds a millisecond to every lrnnkit command).
 */
#include "generators/dataset.h"
#include "generators/dataset-private.h"
#include "automata/json-util.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { IGNORE = -100 };

bool lk_format_parse(const char *name, LkFormat *out)
{
    g_return_val_if_fail(name != NULL, false);
    static const char *names[] = {"jsonl", "csv", "npy", "npz"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            *out = (LkFormat)i;
            return true;
        }
    return false;
}

bool lk_checksum_parse(const char *name, LkChecksum *out)
{
    g_return_val_if_fail(name != NULL, false);
    if (!strcmp(name, "xxh128"))
        *out = LK_CHECKSUM_XXH128;
    else if (!strcmp(name, "sha256"))
        *out = LK_CHECKSUM_SHA256;
    else
        return false;
    return true;
}

const char *lk_checksum_name(LkChecksum c)
{
    return c == LK_CHECKSUM_SHA256 ? "sha256" : "xxh128";
}

const char *lk_format_name(LkFormat f)
{
    static const char *names[] = {"jsonl", "csv", "npy", "npz"};
    return names[f];
}

bool lk_split_parse(const char *text, LkSplit *out, GError **error)
{
    g_return_val_if_fail(text != NULL, false);
    memset(out, 0, sizeof *out);
    g_auto(GStrv) p = g_strsplit(text, ":", -1);
    unsigned long long lo, hi, count;
    char tail;
    bool ok = g_strv_length(p) == 3 && p[0][0] && strlen(p[0]) <= 64;
    for (const char *c = p[0]; ok && *c; c++) ok = g_ascii_isalnum(*c) || *c == '_' || *c == '-';
    if (ok && sscanf(p[1], "%llu-%llu%c", &lo, &hi, &tail) != 2) {
        ok = sscanf(p[1], "%llu%c", &lo, &tail) == 1;
        hi = lo;
    }
    ok = ok && sscanf(p[2], "%llu%c", &count, &tail) == 1 && p[1][0] != '-' && p[2][0] != '-';
    if (!ok || lo < 1 || hi < lo || hi > 1000000 || count > (1ull << 40)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "bad split '%s': expected NAME:MINLEN-MAXLEN:COUNT with a name of letters, "
                    "digits, _ or -, 1 <= MINLEN <= MAXLEN <= 1000000",
                    text);
        return false;
    }
    out->name = g_strdup(p[0]);
    out->min_len = (uint32_t)lo;
    out->max_len = (uint32_t)hi;
    out->count = count;
    return true;
}

void lk_split_clear(LkSplit *s)
{
    g_free(s->name);
    s->name = NULL;
}

/* ---- the writers of one split ---- */

typedef struct {
    const LkDatasetSpec *spec;
    const LkTask *task;
    const LkSplit *split;
    Out out[4]; /* jsonl/csv: one; npy/npz: tokens, labels, lengths, mask */
    int n_out;
    int32_t *row; /* W int32 */
    uint8_t *mrow;
} Writer;

static const char *NPY_MEMBERS[] = {"tokens", "labels", "lengths", "mask"};

static char *file_name(const LkDatasetSpec *spec, const char *split, const char *what,
                       const char *ext)
{
    g_autofree char *shard = spec->n_shards > 1
                                 ? g_strdup_printf("-%05u-of-%05u", spec->shard, spec->n_shards)
                                 : g_strdup("");
    return what ? g_strdup_printf("%s.%s%s.%s", split, what, shard, ext)
                : g_strdup_printf("%s%s.%s", split, shard, ext);
}

static bool writer_open(Writer *w, uint64_t rows, GError **error)
{
    const LkDatasetSpec *spec = w->spec;
    const uint32_t W = w->split->max_len;
    for (int i = 0; i < 4; i++) w->out[i].af.fd = -1;
    if (spec->format == LK_FORMAT_JSONL || spec->format == LK_FORMAT_CSV) {
        const bool csv = spec->format == LK_FORMAT_CSV;
        g_autofree char *name = file_name(spec, w->split->name, NULL, csv ? "csv" : "jsonl");
        w->n_out = 1;
        if (!lk_out_open(&w->out[0], spec->dir, name, OUT_THREADED, spec->checksum, error))
            return false;
        if (csv && spec->shard == 0) return lk_out_put(&w->out[0], "input,target\n", 13);
        return true;
    }
    w->n_out = spec->prefix_labels ? 4 : 3;
    for (int i = 0; i < w->n_out; i++) {
        g_autofree char *name = spec->format == LK_FORMAT_NPZ
                                    ? g_strdup_printf("%s.%s.npy", w->split->name, NPY_MEMBERS[i])
                                    : file_name(spec, w->split->name, NPY_MEMBERS[i], "npy");
        const int flags = OUT_THREADED | (spec->format == LK_FORMAT_NPZ ? OUT_CRC : OUT_DIRECT);
        if (!lk_out_open(&w->out[i], spec->dir, name, flags, spec->checksum, error)) return false;
    }
    w->row = g_new(int32_t, W + 1);
    w->mrow = g_new(uint8_t, W + 1);
    return lk_put_npy_header(&w->out[0], "<i4", rows, W, true) &&
           lk_put_npy_header(&w->out[1], "<i4", rows, W, spec->prefix_labels) &&
           lk_put_npy_header(&w->out[2], "<i4", rows, 0, false) &&
           (w->n_out < 4 || lk_put_npy_header(&w->out[3], "|u1", rows, W, true));
}

static bool writer_put(Writer *w, const int32_t *tok, const int32_t *lab, const uint8_t *mask,
                       uint32_t len)
{
    const LkDatasetSpec *spec = w->spec;
    const bool prefix = spec->prefix_labels;
    if (spec->format == LK_FORMAT_JSONL || spec->format == LK_FORMAT_CSV) {
        const bool json = spec->format == LK_FORMAT_JSONL;
        Out *o = &w->out[0];
        bool ok = (!json || lk_out_put(o, "{\"input\": ", 10)) && lk_put_list(o, tok, len, json) &&
                  lk_out_put(o, json ? ", \"target\": " : ",", json ? 12 : 1);
        if (prefix)
            ok = ok && lk_put_list(o, lab, len, json);
        else
            ok = ok && lk_put_list(o, lab + len - 1, 1, false);
        return ok && lk_out_put(o, json ? "}\n" : "\n", json ? 2 : 1);
    }
    const uint32_t W = w->split->max_len;
    const int32_t pad = (int32_t)lk_alphabet_size(lk_task_vocabulary(w->task));
    memcpy(w->row, tok, sizeof(int32_t) * len);
    for (uint32_t i = len; i < W; i++) w->row[i] = pad;
    bool ok = lk_out_put(&w->out[0], w->row, sizeof(int32_t) * W);
    if (prefix) {
        memcpy(w->row, lab, sizeof(int32_t) * len);
        for (uint32_t i = len; i < W; i++) w->row[i] = IGNORE;
        ok = ok && lk_out_put(&w->out[1], w->row, sizeof(int32_t) * W);
        for (uint32_t i = 0; i < W; i++) w->mrow[i] = i < len && mask[i];
        ok = ok && lk_out_put(&w->out[3], w->mrow, W);
    } else {
        ok = ok && lk_out_put(&w->out[1], lab + len - 1, sizeof(int32_t));
    }
    int32_t l = (int32_t)len;
    return ok && lk_out_put(&w->out[2], &l, sizeof l);
}

static void writer_discard(Writer *w)
{
    for (int i = 0; i < 4; i++)
        if (w->out[i].name) lk_out_discard(&w->out[i]);
    g_free(w->row);
    g_free(w->mrow);
}

/* {"path": ..., "<checksum>": ..., "bytes": ...} of a finished file. */
static void append_file(GString *files, const Out *o)
{
    g_string_append_printf(
        files, "%s{\"path\": \"%s\", \"%s\": \"%s\", \"bytes\": %" G_GUINT64_FORMAT "}",
        files->len ? ", " : "", o->name, lk_checksum_name(o->algo), o->hex, o->bytes);
}

/* Finishes the files; appends {"path": ..., "<checksum>": ..., "bytes": ...}
 * of each to files. The members of an .npz stay temporary files. */
static bool writer_finish(Writer *w, GString *files, GError **error)
{
    const LkDatasetSpec *spec = w->spec;
    bool ok = true;
    for (int i = 0; i < w->n_out; i++) { /* the last buffers and the fsyncs, in parallel */
        if (!lk_out_flush(&w->out[i])) g_atomic_int_set(&w->out[i].failed, errno ? errno : EIO);
        if (spec->format != LK_FORMAT_NPZ) lk_out_sync_async(&w->out[i]); /* all at once */
    }
    for (int i = 0; i < w->n_out; i++) {
        lk_out_drain(&w->out[i]); /* out_finish reports a failure */
    }
    if (spec->format != LK_FORMAT_NPZ) {
        for (int i = 0; i < w->n_out && ok; i++) ok = lk_out_finish(&w->out[i], false, error);
        for (int i = 0; i < w->n_out && ok; i++) append_file(files, &w->out[i]);
        writer_discard(w);
        return ok;
    }
    char *members[4];
    for (int i = 0; i < w->n_out; i++) {
        ok = ok && lk_out_finish(&w->out[i], true, error);
        members[i] = g_strdup_printf("%s.npy", NPY_MEMBERS[i]);
    }
    g_autofree char *name = file_name(spec, w->split->name, NULL, "npz");
    Out z;
    z.name = NULL;
    ok = ok && lk_out_open(&z, spec->dir, name, 0, spec->checksum, error) &&
         lk_npz_assemble(&z, w->out, members, w->n_out, error) && lk_out_finish(&z, false, error);
    if (ok) append_file(files, &z);
    if (z.name) lk_out_discard(&z);
    for (int i = 0; i < w->n_out; i++) g_free(members[i]);
    writer_discard(w); /* removes the members */
    return ok;
}

/* ---- the dataset ---- */

typedef struct {
    gint64 last;
    uint64_t done, total, tokens;
    gint64 start;
} Progress;

static void progress(const LkDatasetSpec *spec, Progress *p, const char *split, bool final)
{
    if (!spec->progress) return;
    gint64 now = g_get_monotonic_time();
    if (!final && now - p->last < 200000) return;
    p->last = now;
    double secs = (double)(now - p->start) / 1e6;
    fprintf(stderr,
            "\rgen: %s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " examples, %.1f M tokens/s ",
            split, p->done, p->total, secs > 0 ? (double)p->tokens / secs / 1e6 : 0.0);
    if (final) fputc('\n', stderr);
}

/* The file names a manifest lists (plain names only: nothing outside the
 * folder); empty when text is not a manifest. */
static GPtrArray *manifest_paths(const char *text)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(JsonParser) p = json_parser_new();
    if (!text || !lk_json_parse(p, text, -1, "", NULL)) return out;
    JsonNode *root = json_parser_get_root(p);
    if (!JSON_NODE_HOLDS_OBJECT(root)) return out;
    JsonObject *o = json_node_get_object(root);
    if (g_strcmp0(lk_json_string(o, "format"), "lrnnkit-dataset")) return out;
    JsonArray *splits = lk_json_array(o, "splits");
    for (guint s = 0; splits && s < json_array_get_length(splits); s++) {
        JsonNode *sn = json_array_get_element(splits, s);
        if (!JSON_NODE_HOLDS_OBJECT(sn)) continue;
        JsonObject *so = json_node_get_object(sn);
        JsonArray *files = lk_json_array(so, "files");
        for (guint f = 0; files && f < json_array_get_length(files); f++) {
            JsonNode *fn = json_array_get_element(files, f);
            if (!JSON_NODE_HOLDS_OBJECT(fn)) continue;
            const char *path = lk_json_string(json_node_get_object(fn), "path");
            if (path && *path && !strchr(path, '/') && strcmp(path, "..") && strcmp(path, "."))
                g_ptr_array_add(out, g_strdup(path));
        }
    }
    return out;
}

/* Where the drawn examples go: the files of a split (Writer) or arrays in
 * memory (lk_dataset_fill). begin before split s's rows (rows of them),
 * put for each row, end after them (tokens drawn in them); end and discard
 * may be NULL. */
typedef struct {
    bool (*begin)(void *ctx, uint32_t s, uint64_t rows, GError **error);
    bool (*put)(void *ctx, const int32_t *tok, const int32_t *lab, const uint8_t *mask,
                uint32_t len, GError **error);
    bool (*end)(void *ctx, uint32_t s, uint64_t first, uint64_t rows, uint64_t tokens,
                GError **error);
    void (*discard)(void *ctx);
} Sink;

/* Checks the spec's shards, split names and de-duplication's memory. */
static bool spec_check(const LkDatasetSpec *spec, GError **error)
{
    if (spec->n_shards < 1 || spec->shard >= spec->n_shards) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "bad shard %u/%u", spec->shard,
                    spec->n_shards);
        return false;
    }
    for (uint32_t i = 0; i < spec->n_splits; i++)
        for (uint32_t j = 0; j < i; j++)
            if (!strcmp(spec->splits[i].name, spec->splits[j].name)) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "split '%s' is given twice",
                            spec->splits[i].name);
                return false;
            }
    if (spec->dedup) { /* 16-byte fingerprints at load <= 1/2, and the copy when it grows */
        uint64_t examples = 0;
        for (uint32_t s = 0; s < spec->n_splits; s++) examples += spec->splits[s].count;
        LkLimits lim;
        lk_limits_resolve(&lim, &spec->limits);
        if (!lk_limits_check_bytes(&lim, examples > UINT64_MAX / 96 ? UINT64_MAX : examples * 96,
                                   "de-duplicating the examples", error))
            return false;
    }
    return true;
}

/* Draws the spec's examples split by split (see dataset.h for the streams)
 * and hands this shard's to the sink. */
static bool draw_splits(const LkTask *task, const LkDatasetSpec *spec, const Sink *sink, void *ctx,
                        GError **error)
{
    const uint32_t classes = lk_task_classes(task);
    const uint64_t max_attempts = spec->max_attempts ? spec->max_attempts : 1000;
    LengthTable *lt = g_new0(LengthTable, (size_t)spec->n_splits * classes + 1);
    bool ok = true;
    for (uint32_t s = 0; s < spec->n_splits && ok; s++)
        for (uint32_t c = 0; c < classes && ok; c++)
            ok = lk_length_table(task, &spec->splits[s], c, spec->lengths, &lt[s * classes + c],
                                 error);
    uint32_t W = 1;
    for (uint32_t s = 0; s < spec->n_splits; s++) W = MAX(W, spec->splits[s].max_len);
    int32_t *tok = g_new(int32_t, W), *lab = g_new(int32_t, W);
    uint8_t *mask = g_new(uint8_t, W);
    Seen seen = {0};
    Progress pr = {0, 0, 0, 0, g_get_monotonic_time()};
    for (uint32_t s = 0; s < spec->n_splits && ok; s++) {
        const LkSplit *sp = &spec->splits[s];
        const uint64_t lo = sp->count * spec->shard / spec->n_shards,
                       hi = sp->count * (spec->shard + 1) / spec->n_shards;
        LkRng r0, rng;
        lk_rng_init_stream(&r0, spec->seed, s);
        const uint64_t split_seed = lk_rng_next(&r0);
        ok = sink->begin(ctx, s, hi - lo, error);
        uint64_t tokens = 0;
        pr.done = 0;
        pr.total = hi - lo;
        /* with --dedup the examples of every shard of this split are drawn (only this
         * shard's are written), so that the inputs seen by the later splits, and hence
         * their draws, are those of the whole run */
        const uint64_t end = spec->dedup && s + 1 < spec->n_splits ? sp->count : hi;
        for (uint64_t j = spec->dedup ? 0 : lo; j < end && ok; j++) {
            lk_rng_init_stream(&rng, split_seed, j);
            const uint32_t cls = (uint32_t)(j % classes);
            uint32_t len;
            for (uint64_t attempt = 0;; attempt++) {
                len = lk_draw_length(&lt[s * classes + cls], &rng);
                lk_task_draw(task, &rng, cls, len, tok, lab, mask);
                if (!spec->dedup) break;
                uint64_t fp[2];
                lk_fingerprint(tok, len, fp);
                if (lk_seen_add(&seen, fp)) break;
                if (attempt + 1 >= max_attempts) {
                    g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                                "split '%s': no new example after %" G_GUINT64_FORMAT
                                " draws (example %" G_GUINT64_FORMAT
                                "); are there that many distinct inputs? (raise --max-attempts)",
                                sp->name, max_attempts, j);
                    ok = false;
                    break;
                }
            }
            if (!ok || j < lo || j >= hi) continue;
            if (spec->prefix_labels && lk_task_masked(task))
                for (uint32_t i = 0; i < len; i++)
                    if (!mask[i]) lab[i] = IGNORE;
            ok = sink->put(ctx, tok, lab, mask, len, error);
            tokens += len;
            pr.tokens += len;
            pr.done++;
            if ((pr.done & 1023) == 0) progress(spec, &pr, sp->name, false);
        }
        if (!ok) {
            if (sink->discard) sink->discard(ctx);
            break;
        }
        progress(spec, &pr, sp->name, true);
        ok = !sink->end || sink->end(ctx, s, lo, hi - lo, tokens, error);
    }
    for (uint32_t i = 0; i < spec->n_splits * classes; i++) {
        g_free(lt[i].len);
        g_free(lt[i].cum);
    }
    g_free(lt);
    g_free(seen.keys);
    g_free(tok);
    g_free(lab);
    g_free(mask);
    return ok;
}

/* ---- the files' sink ---- */

typedef struct {
    const LkTask *task;
    const LkDatasetSpec *spec;
    Writer w;
    GString *splits_json;
} FileSink;

static bool file_begin(void *ctx, uint32_t s, uint64_t rows, GError **error)
{
    FileSink *f = ctx;
    f->w = (Writer){.spec = f->spec, .task = f->task, .split = &f->spec->splits[s]};
    return writer_open(&f->w, rows, error);
}

static bool file_put(void *ctx, const int32_t *tok, const int32_t *lab, const uint8_t *mask,
                     uint32_t len, GError **error)
{
    FileSink *f = ctx;
    const bool ok = writer_put(&f->w, tok, lab, mask, len);
    if (!ok && error && !*error)
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write in %s: %s", f->spec->dir,
                    g_strerror(errno));
    return ok;
}

static bool file_end(void *ctx, uint32_t s, uint64_t first, uint64_t rows, uint64_t tokens,
                     GError **error)
{
    FileSink *f = ctx;
    const LkSplit *sp = &f->spec->splits[s];
    GString *files = g_string_new(NULL);
    const bool ok = writer_finish(&f->w, files, error);
    g_string_append_printf(f->splits_json,
                           "%s\n    {\"name\": \"%s\", \"min_len\": %u, \"max_len\": %u, "
                           "\"count\": %" G_GUINT64_FORMAT ", \"examples\": %" G_GUINT64_FORMAT
                           ", \"first_example\": %" G_GUINT64_FORMAT
                           ", \"tokens\": %" G_GUINT64_FORMAT ", \"files\": [%s]}",
                           s ? "," : "", sp->name, sp->min_len, sp->max_len, sp->count, rows, first,
                           tokens, files->str);
    g_string_free(files, TRUE);
    return ok;
}

static void file_discard(void *ctx)
{
    writer_discard(&((FileSink *)ctx)->w);
}

/* ---- the arrays' sink ---- */

typedef struct {
    const LkTask *task;
    const LkDatasetSpec *spec;
    LkExampleArrays *out;
    LkExampleArrays *cur;
    uint64_t row;
} ArraySink;

static bool array_begin(void *ctx, uint32_t s, uint64_t rows, GError **error)
{
    ArraySink *a = ctx;
    a->cur = &a->out[s];
    a->row = 0;
    if (rows != a->cur->rows || a->cur->width < a->spec->splits[s].max_len) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "split '%s': arrays of %" G_GUINT64_FORMAT
                    " rows of width %u for %" G_GUINT64_FORMAT " examples of lengths up to %u",
                    a->spec->splits[s].name, a->cur->rows, a->cur->width, rows,
                    a->spec->splits[s].max_len);
        return false;
    }
    return true;
}

static bool array_put(void *ctx, const int32_t *tok, const int32_t *lab, const uint8_t *mask,
                      uint32_t len, GError **error)
{
    ArraySink *a = ctx;
    LkExampleArrays *o = a->cur;
    const uint32_t W = o->width;
    const int32_t pad = (int32_t)lk_alphabet_size(lk_task_vocabulary(a->task));
    int32_t *t = o->tokens + a->row * W;
    for (uint32_t i = 0; i < W; i++) t[i] = i < len ? tok[i] : pad;
    if (a->spec->prefix_labels) {
        int32_t *l = o->labels + a->row * W;
        for (uint32_t i = 0; i < W; i++) l[i] = i < len ? lab[i] : IGNORE;
        if (o->mask)
            for (uint32_t i = 0; i < W; i++) o->mask[a->row * W + i] = i < len && mask[i];
    } else {
        o->labels[a->row] = lab[len - 1];
    }
    o->lengths[a->row++] = (int32_t)len;
    return true;
}

bool lk_dataset_fill(const LkTask *task, const LkDatasetSpec *spec, LkExampleArrays *out,
                     GError **error)
{
    g_return_val_if_fail(task && spec && out, false);
    if (!spec_check(spec, error)) return false;
    ArraySink a = {task, spec, out, NULL, 0};
    static const Sink sink = {array_begin, array_put, NULL, NULL};
    return draw_splits(task, spec, &sink, &a, error);
}

bool lk_dataset_write(const LkTask *task, const LkDatasetSpec *spec, GError **error)
{
    g_return_val_if_fail(task != NULL, false);
    if (!spec_check(spec, error)) return false;
    if (g_mkdir_with_parents(spec->dir, 0755) != 0) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot create %s: %s", spec->dir,
                    g_strerror(errno));
        return false;
    }
    GString *splits_json = g_string_new(NULL);
    FileSink f = {task, spec, {0}, splits_json};
    static const Sink sink = {file_begin, file_put, file_end, file_discard};
    bool ok = draw_splits(task, spec, &sink, &f, error);
    if (ok) { /* the manifest */
        const LkAlphabet *v = lk_task_vocabulary(task);
        GString *m =
            g_string_new("{\"format\": \"lrnnkit-dataset\", \"version\": 1,\n  \"task\": ");
        lk_json_append_string(m, lk_task_name(task));
        g_autofree char *params = lk_task_parameters_json(task);
        g_string_append_printf(m, ",\n  \"parameters\": %s,\n  \"vocabulary\": [", params);
        for (uint32_t a = 0; a < lk_alphabet_size(v); a++) {
            if (a) g_string_append(m, ", ");
            lk_json_append_string(m, lk_alphabet_name(v, a));
        }
        g_string_append_printf(m,
                               "],\n  \"pad_token\": %u,\n  \"labels\": {\"kind\": \"%s\", "
                               "\"ignore_index\": %d, \"names\": [",
                               lk_alphabet_size(v), spec->prefix_labels ? "prefix" : "final",
                               IGNORE);
        for (uint32_t l = 0; l < lk_task_n_labels(task); l++) {
            if (l) g_string_append(m, ", ");
            lk_json_append_string(m, lk_task_label_name(task, l));
        }
        g_string_append_printf(m, "]},\n  \"checksum\": \"%s\",", lk_checksum_name(spec->checksum));
        g_string_append_printf(m,
                               "\n  \"file_format\": \"%s\",\n  \"seed\": %" G_GUINT64_FORMAT
                               ",\n  \"prng\": \"xoshiro256** per example, seeded by "
                               "splitmix64 (lk_rng_init_stream)\",\n  \"lengths\": \"%s\",\n  "
                               "\"dedup\": %s,\n  \"shard\": [%u, %u],\n  \"command\": ",
                               lk_format_name(spec->format), spec->seed,
                               spec->lengths == LK_LENGTHS_WORDS ? "uniform over words"
                                                                 : "uniform over lengths",
                               spec->dedup ? "true" : "false", spec->shard, spec->n_shards);
        if (spec->command)
            lk_json_append_string(m, spec->command);
        else
            g_string_append(m, "null");
        g_string_append_printf(m, ",\n  \"splits\": [%s\n  ]}\n", splits_json->str);
        g_autofree char *name = spec->n_shards > 1 ? g_strdup_printf("manifest-%05u-of-%05u.json",
                                                                     spec->shard, spec->n_shards)
                                                   : g_strdup("manifest.json");
        /* a folder used before: the files its old manifest listed and this run does not write */
        g_autofree char *old_path = g_build_filename(spec->dir, name, NULL), *old_text = NULL;
        g_file_get_contents(old_path, &old_text, NULL, NULL);
        Out o;
        ok = lk_out_open(&o, spec->dir, name, 0, spec->checksum, error) &&
             lk_out_put(&o, m->str, m->len) && lk_out_finish(&o, false, error);
        lk_out_discard(&o);
        if (ok && old_text) {
            g_autoptr(GPtrArray) before = manifest_paths(old_text), now = manifest_paths(m->str);
            for (guint i = 0; i < before->len; i++) {
                bool kept = false;
                for (guint j = 0; j < now->len && !kept; j++)
                    kept = !strcmp(g_ptr_array_index(before, i), g_ptr_array_index(now, j));
                if (!kept) {
                    g_autofree char *stale =
                        g_build_filename(spec->dir, g_ptr_array_index(before, i), NULL);
                    unlink(stale);
                }
            }
        }
        g_string_free(m, TRUE);
    }
    g_string_free(splits_json, TRUE);
    return ok;
}

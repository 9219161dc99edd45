/* Reading datasets back (see dataset-read.h). */
#include "generators/dataset-read.h"

#include "automata/json-util.h"
#include "automata/npy.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

/* An error about a dataset file, prefixed by where; NULL. */
#define fail(error, code, where, ...) (lk_error_set(error, code, where, __VA_ARGS__), NULL)

void lk_dataset_free(LkDataset *d)
{
    if (!d) return;
    for (uint32_t s = 0; s < d->n_splits; s++) {
        LkDatasetSplitInfo *sp = &d->splits[s];
        g_free(sp->name);
        g_strfreev(sp->paths);
        g_strfreev(sp->sums);
        g_free(sp->sizes);
    }
    g_free(d->splits);
    g_strfreev(d->label_names);
    lk_alphabet_unref(d->vocabulary);
    g_free(d->task);
    g_free(d->dir);
    g_free(d);
}

void lk_examples_free(LkExamples *e)
{
    if (!e) return;
    g_free(e->offset);
    g_free(e->tokens);
    g_free(e->labels);
    g_free(e);
}

const LkDatasetSplitInfo *lk_dataset_split(const LkDataset *d, const char *name)
{
    g_return_val_if_fail(d != NULL, NULL);
    for (uint32_t s = 0; s < d->n_splits; s++)
        if (!strcmp(d->splits[s].name, name)) return &d->splits[s];
    return NULL;
}

/* ---- the manifest ---- */

static JsonObject *object_element(JsonArray *a, guint i)
{
    JsonNode *v = json_array_get_element(a, i);
    return JSON_NODE_HOLDS_OBJECT(v) ? json_node_get_object(v) : NULL;
}

/* A NULL-terminated copy of an array of strings, or NULL. */
static char **strings(JsonArray *a)
{
    if (!a) return NULL;
    const guint n = json_array_get_length(a);
    char **out = g_new0(char *, n + 1);
    for (guint i = 0; i < n; i++) {
        JsonNode *v = json_array_get_element(a, i);
        if (JSON_NODE_TYPE(v) != JSON_NODE_VALUE || json_node_get_value_type(v) != G_TYPE_STRING) {
            g_strfreev(out);
            return NULL;
        }
        out[i] = g_strdup(json_node_get_string(v));
    }
    return out;
}

static bool plain_name(const char *p)
{
    return p && *p && !strchr(p, '/') && strcmp(p, ".") && strcmp(p, "..");
}

static bool read_split(JsonObject *so, LkDataset *d, LkDatasetSplitInfo *sp, const char *where,
                       GError **error)
{
    const char *name = so ? lk_json_string(so, "name") : NULL;
    int64_t lo, hi, n;
    if (!name || !*name || !lk_json_int(so, "min_len", 0, UINT32_MAX, &lo) ||
        !lk_json_int(so, "max_len", lo, UINT32_MAX, &hi) ||
        !lk_json_int(so, "examples", 0, INT64_MAX, &n))
        return fail(error, LK_ERROR_INPUT, where,
                    "a split needs a name, 0 <= min_len <= max_len and examples");
    sp->name = g_strdup(name);
    sp->min_len = (uint32_t)lo, sp->max_len = (uint32_t)hi, sp->examples = (uint64_t)n;
    JsonArray *files = lk_json_array(so, "files");
    if (!files || json_array_get_length(files) > 8)
        return fail(error, LK_ERROR_INPUT, where, "split '%s' lists no files", name);
    sp->n_files = json_array_get_length(files);
    sp->paths = g_new0(char *, sp->n_files + 1);
    sp->sums = g_new0(char *, sp->n_files + 1);
    sp->sizes = g_new0(uint64_t, sp->n_files + 1);
    const char *algo = lk_checksum_name(d->checksum);
    for (uint32_t f = 0; f < sp->n_files; f++) {
        JsonObject *fo = object_element(files, f);
        const char *path = fo ? lk_json_string(fo, "path") : NULL,
                   *sum = fo ? lk_json_string(fo, algo) : NULL;
        int64_t bytes;
        if (!plain_name(path) || !sum || !lk_json_int(fo, "bytes", 0, INT64_MAX, &bytes))
            return fail(error, LK_ERROR_INPUT, where,
                        "split '%s': a file needs a plain \"path\" in the manifest's directory, "
                        "its \"%s\" and \"bytes\"",
                        name, algo);
        sp->paths[f] = g_strdup(path);
        sp->sums[f] = g_ascii_strdown(sum, -1);
        sp->sizes[f] = (uint64_t)bytes;
    }
    return true;
}

static bool read_manifest(JsonObject *o, LkDataset *d, const char *where, GError **error)
{
    int64_t version, v;
    if (g_strcmp0(lk_json_string(o, "format"), "lrnnkit-dataset") ||
        !lk_json_int(o, "version", 1, 1, &version))
        return fail(error, LK_ERROR_INPUT, where, "not an lrnnkit-dataset version 1 manifest");
    const char *task = lk_json_string(o, "task");
    if (!task || !*task) return fail(error, LK_ERROR_INPUT, where, "no task");
    d->task = g_strdup(task);
    g_auto(GStrv) vocab = strings(lk_json_array(o, "vocabulary"));
    GError *aerr = NULL;
    d->vocabulary = vocab && vocab[0]
                        ? lk_alphabet_new((const char *const *)vocab, g_strv_length(vocab), &aerr)
                        : NULL;
    if (!d->vocabulary) {
        lk_error_set(error, LK_ERROR_INPUT, where,
                     "the vocabulary is not a list of token names%s%s", aerr ? ": " : "",
                     aerr ? aerr->message : "");
        g_clear_error(&aerr);
        return false;
    }
    const uint32_t V = lk_alphabet_size(d->vocabulary);
    if (!lk_json_int(o, "pad_token", V, V, &v))
        return fail(error, LK_ERROR_INPUT, where, "pad_token must be the vocabulary size, %u", V);
    d->pad_token = V;
    JsonObject *lo = lk_json_object(o, "labels");
    const char *kind = lo ? lk_json_string(lo, "kind") : NULL;
    d->label_names = lo ? strings(lk_json_array(lo, "names")) : NULL;
    if (!kind || (strcmp(kind, "final") && strcmp(kind, "prefix")) || !d->label_names ||
        !d->label_names[0] || !lk_json_int(lo, "ignore_index", INT32_MIN, -1, &v))
        return fail(error, LK_ERROR_INPUT, where,
                    "labels must be {\"kind\": \"final\" or \"prefix\", \"ignore_index\": a "
                    "negative integer, \"names\": [...]}");
    d->prefix_labels = !strcmp(kind, "prefix");
    d->ignore_index = (int32_t)v;
    d->n_labels = g_strv_length(d->label_names);
    const char *ff = lk_json_string(o, "file_format"), *cs = lk_json_string(o, "checksum");
    if (!ff || !lk_format_parse(ff, &d->format))
        return fail(error, LK_ERROR_INPUT, where, "file_format must be jsonl, csv, npy or npz");
    if (!cs || !lk_checksum_parse(cs, &d->checksum))
        return fail(error, LK_ERROR_INPUT, where, "checksum must be xxh128 or sha256");
    JsonArray *splits = lk_json_array(o, "splits");
    if (!splits || !json_array_get_length(splits) || json_array_get_length(splits) > 4096)
        return fail(error, LK_ERROR_INPUT, where, "no splits");
    d->splits = g_new0(LkDatasetSplitInfo, json_array_get_length(splits));
    for (guint s = 0; s < json_array_get_length(splits); s++) {
        d->n_splits++;
        if (!read_split(object_element(splits, s), d, &d->splits[s], where, error)) return false;
        for (guint t = 0; t < s; t++)
            if (!strcmp(d->splits[t].name, d->splits[s].name))
                return fail(error, LK_ERROR_INPUT, where, "split '%s' twice", d->splits[s].name);
    }
    return true;
}

LkDataset *lk_dataset_open(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    g_autofree char *file = g_file_test(path, G_FILE_TEST_IS_DIR)
                                ? g_build_filename(path, "manifest.json", NULL)
                                : g_strdup(path);
    g_autoptr(JsonParser) p = json_parser_new_immutable();
    gsize len;
    g_autofree char *text = lk_file_read(file, &len, error);
    if (!text) return NULL;
    if (!lk_json_parse(p, text, (gssize)len, file, error)) return NULL;
    JsonNode *root = json_parser_get_root(p);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root))
        return fail(error, LK_ERROR_INPUT, file, "not a JSON object");
    LkDataset *d = g_new0(LkDataset, 1);
    d->dir = g_path_get_dirname(file);
    if (!read_manifest(json_node_get_object(root), d, file, error)) {
        lk_dataset_free(d);
        return NULL;
    }
    return d;
}

/* ---- the split's files ---- */

/* A file of the split, mapped, after checking its size and checksum. */
static GMappedFile *open_checked(const LkDataset *d, const LkDatasetSplitInfo *sp, uint32_t f,
                                 GError **error)
{
    g_autofree char *path = g_build_filename(d->dir, sp->paths[f], NULL);
    GError *ferr = NULL;
    GMappedFile *m = g_mapped_file_new(path, FALSE, &ferr);
    if (!m) {
        lk_error_set(error, LK_ERROR_INPUT, path, "cannot read: %s", ferr->message);
        g_error_free(ferr);
        return NULL;
    }
    const uint8_t *buf = (const uint8_t *)g_mapped_file_get_contents(m);
    const size_t len = g_mapped_file_get_length(m);
    g_autofree char *sum = NULL;
    if (d->checksum == LK_CHECKSUM_SHA256) {
        sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, len ? buf : (const uint8_t *)"", len);
    } else {
        XXH128_canonical_t c;
        XXH128_canonicalFromHash(&c, XXH3_128bits(buf, len));
        sum = g_malloc(33);
        for (int i = 0; i < 16; i++) snprintf(sum + 2 * i, 3, "%02x", c.digest[i]);
    }
    if (len != sp->sizes[f] || strcmp(sum, sp->sums[f])) {
        lk_error_set(
            error, LK_ERROR_INPUT, path,
            "differs from the manifest (%zu bytes, %s %s; the manifest says %" G_GUINT64_FORMAT
            " bytes, %s)",
            len, lk_checksum_name(d->checksum), sum, sp->sizes[f], sp->sums[f]);
        g_mapped_file_unref(m);
        return NULL;
    }
    return m;
}

/* The split's file whose name ends in suffix, or -1. */
static int find_file(const LkDatasetSplitInfo *sp, const char *suffix)
{
    for (uint32_t f = 0; f < sp->n_files; f++)
        if (g_str_has_suffix(sp->paths[f], suffix)) return (int)f;
    return -1;
}

/* Growing arrays of the examples being read. */
typedef struct {
    GArray *offset, *tokens, *labels;
} Build;

static void build_init(Build *b)
{
    b->offset = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    b->tokens = g_array_new(FALSE, FALSE, sizeof(int32_t));
    b->labels = g_array_new(FALSE, FALSE, sizeof(int32_t));
    uint64_t zero = 0;
    g_array_append_val(b->offset, zero);
}

static void build_clear(Build *b)
{
    g_array_unref(b->offset);
    g_array_unref(b->tokens);
    g_array_unref(b->labels);
}

/* Checks one example just appended (its tokens and labels are the last). */
static bool check_example(const LkDataset *d, const LkDatasetSplitInfo *sp, Build *b,
                          const char *where, uint64_t i, GError **error)
{
    const uint64_t start = g_array_index(b->offset, uint64_t, b->offset->len - 1),
                   len = b->tokens->len - start, want = d->prefix_labels ? b->tokens->len : i + 1;
    if (len < sp->min_len || len > sp->max_len)
        return fail(error, LK_ERROR_INPUT, where,
                    "example %" G_GUINT64_FORMAT " has %" G_GUINT64_FORMAT
                    " tokens, outside the split's %u-%u",
                    i, len, sp->min_len, sp->max_len);
    if (b->labels->len != want)
        return fail(error, LK_ERROR_INPUT, where,
                    "example %" G_GUINT64_FORMAT " has %s labels than %s", i,
                    b->labels->len < want ? "fewer" : "more", d->prefix_labels ? "tokens" : "one");
    const uint32_t V = lk_alphabet_size(d->vocabulary);
    for (uint64_t t = start; t < b->tokens->len; t++) {
        const int32_t x = g_array_index(b->tokens, int32_t, t);
        if (x < 0 || (uint32_t)x >= V)
            return fail(error, LK_ERROR_INPUT, where,
                        "example %" G_GUINT64_FORMAT ": token id %d is not in the vocabulary", i,
                        x);
    }
    for (uint64_t t = d->prefix_labels ? start : i; t < b->labels->len; t++) {
        const int32_t y = g_array_index(b->labels, int32_t, t);
        if (y != d->ignore_index && (y < 0 || (uint32_t)y >= d->n_labels))
            return fail(error, LK_ERROR_INPUT, where,
                        "example %" G_GUINT64_FORMAT ": label %d is not a label", i, y);
    }
    const uint64_t end = b->tokens->len;
    g_array_append_val(b->offset, end);
    return true;
}

/* The integers of a JSON node (an array of them, or one for a final label). */
static bool json_ints(JsonNode *v, bool array, GArray *out)
{
    if (!v) return false;
    if (!array) {
        int64_t x;
        if (!lk_json_node_int(v, INT32_MIN, INT32_MAX, &x)) return false;
        int32_t y = (int32_t)x;
        g_array_append_val(out, y);
        return true;
    }
    if (!JSON_NODE_HOLDS_ARRAY(v)) return false;
    JsonArray *a = json_node_get_array(v);
    for (guint i = 0; i < json_array_get_length(a); i++)
        if (!json_ints(json_array_get_element(a, i), false, out)) return false;
    return true;
}

/* One text line (JSON lines or CSV) into the examples. */
static bool parse_line(const LkDataset *d, const char *line, size_t n, Build *b, bool csv)
{
    if (!csv) {
        g_autoptr(JsonParser) p = json_parser_new_immutable();
        if (!lk_json_parse(p, line, (gssize)n, "", NULL)) return false;
        JsonNode *root = json_parser_get_root(p);
        JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
        return o && json_ints(json_object_get_member(o, "input"), true, b->tokens) &&
               json_ints(json_object_get_member(o, "target"), d->prefix_labels, b->labels);
    }
    /* CSV: space-separated ids, a comma, space-separated labels; the line
     * ends in '\n', so strtoll stops inside the buffer */
    const char *comma = memchr(line, ',', n), *end = line + n;
    if (!comma) return false;
    for (int field = 0; field < 2; field++) {
        const char *start = field ? comma + 1 : line, *stop = field ? end : comma, *q = start;
        GArray *out = field ? b->labels : b->tokens;
        const uint64_t before = out->len;
        while (q < stop) {
            if (q > start && *q++ != ' ') return false;
            if (q >= stop || (!g_ascii_isdigit(*q) && *q != '-')) return false;
            char *e;
            errno = 0;
            const long long x = strtoll(q, &e, 10);
            if (e == q || e > stop || errno || x < INT32_MIN || x > INT32_MAX) return false;
            int32_t v = (int32_t)x;
            g_array_append_val(out, v);
            q = e;
        }
        if (field && !d->prefix_labels && out->len != before + 1) return false;
    }
    return true;
}

static bool read_text(const LkDataset *d, const LkDatasetSplitInfo *sp, GMappedFile *m,
                      const char *where, Build *b, GError **error)
{
    const bool csv = d->format == LK_FORMAT_CSV;
    const size_t len = g_mapped_file_get_length(m);
    const char *buf = len ? g_mapped_file_get_contents(m) : "", *end = buf + len; /* empty: NULL */
    uint64_t i = 0, line_no = 0;
    for (const char *p = buf; p < end; line_no++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return fail(error, LK_ERROR_INPUT, where,
                        "line %" G_GUINT64_FORMAT " does not end in a newline", line_no + 1);
        if (csv && line_no == 0 && nl - p == 12 && !memcmp(p, "input,target", 12)) {
            p = nl + 1; /* the header (shard 0 and unsharded files) */
            continue;
        }
        if (!parse_line(d, p, (size_t)(nl - p), b, csv))
            return fail(error, LK_ERROR_INPUT, where, "line %" G_GUINT64_FORMAT " is not %s",
                        line_no + 1,
                        csv ? "input,target (space-separated integers)"
                            : "{\"input\": [ids], \"target\": labels}");
        if (!check_example(d, sp, b, where, i++, error)) return false;
        p = nl + 1;
    }
    return true;
}

/* NumPy: tokens [N, W] padded with the pad id, labels [N] or [N, W], lengths [N]. */
static bool read_arrays(const LkDataset *d, const LkDatasetSplitInfo *sp, const LkNpyArray *tok,
                        const LkNpyArray *lab, const LkNpyArray *len, const char *where, Build *b,
                        GError **error)
{
    if (!tok || !lab || !len)
        return fail(error, LK_ERROR_INPUT, where, "needs the arrays tokens, labels and lengths");
    const uint64_t N = len->size;
    if (!tok->integer || !lab->integer || !len->integer || len->ndim != 1 || tok->ndim != 2 ||
        tok->shape[0] != N || lab->ndim != (d->prefix_labels ? 2 : 1) || lab->shape[0] != N ||
        (d->prefix_labels && lab->shape[1] != tok->shape[1]))
        return fail(error, LK_ERROR_INPUT, where,
                    "integer arrays tokens [N, W], labels [N%s] and lengths [N] are needed",
                    d->prefix_labels ? ", W" : "");
    const uint64_t W = tok->shape[1];
    for (uint64_t i = 0; i < N; i++) {
        const int32_t n = len->ints[i];
        if (n < 0 || (uint64_t)n > W)
            return fail(error, LK_ERROR_INPUT, where,
                        "example %" G_GUINT64_FORMAT ": length %d outside 0-%" G_GUINT64_FORMAT, i,
                        n, W);
        g_array_append_vals(b->tokens, tok->ints + i * W, (guint)n);
        for (uint64_t t = (uint64_t)n; t < W; t++)
            if (tok->ints[i * W + t] != (int32_t)d->pad_token)
                return fail(error, LK_ERROR_INPUT, where,
                            "example %" G_GUINT64_FORMAT ": no pad token after its length", i);
        if (d->prefix_labels)
            g_array_append_vals(b->labels, lab->ints + i * W, (guint)n);
        else
            g_array_append_val(b->labels, lab->ints[i]);
        if (!check_example(d, sp, b, where, i, error)) return false;
    }
    return true;
}

LkExamples *lk_dataset_read(const LkDataset *d, const LkDatasetSplitInfo *sp,
                            const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_bytes = lim.max_memory;
    uint64_t total = 0;
    for (uint32_t f = 0; f < sp->n_files; f++) total += sp->sizes[f];
    if (total > max_bytes)
        return fail(error, LK_ERROR_LIMIT, sp->name,
                    "the split's files hold %" G_GUINT64_FORMAT
                    " bytes, more than --max-memory %" G_GUINT64_FORMAT,
                    total, max_bytes);
    static const char *const ext[] = {".jsonl", ".csv", ".tokens.npy", ".npz"};
    const int main_file = find_file(sp, ext[d->format]);
    if (main_file < 0)
        return fail(error, LK_ERROR_INPUT, sp->name, "the manifest lists no *%s file",
                    ext[d->format]);
    Build b;
    build_init(&b);
    bool ok = false;
    g_autofree char *where = g_build_filename(d->dir, sp->paths[main_file], NULL);
    if (d->format == LK_FORMAT_JSONL || d->format == LK_FORMAT_CSV) {
        GMappedFile *m = open_checked(d, sp, (uint32_t)main_file, error);
        ok = m && read_text(d, sp, m, where, &b, error);
        if (m) g_mapped_file_unref(m);
    } else if (d->format == LK_FORMAT_NPZ) {
        g_autoptr(GPtrArray) arrays = NULL;
        GMappedFile *m = open_checked(d, sp, (uint32_t)main_file, error);
        if (m) {
            g_mapped_file_unref(m);
            arrays = lk_npz_load(where, &lim, error);
        }
        ok = arrays &&
             read_arrays(d, sp, lk_npz_find(arrays, "tokens"), lk_npz_find(arrays, "labels"),
                         lk_npz_find(arrays, "lengths"), where, &b, error);
    } else {
        static const char *const part[] = {".tokens.npy", ".labels.npy", ".lengths.npy"};
        LkNpyArray *a[3] = {NULL, NULL, NULL};
        ok = true;
        for (int k = 0; k < 3 && ok; k++) {
            const int f = find_file(sp, part[k]);
            GMappedFile *m = f < 0 ? NULL : open_checked(d, sp, (uint32_t)f, error);
            if (f < 0)
                lk_error_set(error, LK_ERROR_INPUT, sp->name, "the manifest lists no *%s file",
                             part[k]);
            if (m) {
                g_autofree char *path = g_build_filename(d->dir, sp->paths[f], NULL);
                a[k] = lk_npy_parse((const uint8_t *)g_mapped_file_get_contents(m),
                                    g_mapped_file_get_length(m), part[k] + 1, path, error);
                g_mapped_file_unref(m);
            }
            ok = a[k] != NULL;
        }
        ok = ok && read_arrays(d, sp, a[0], a[1], a[2], where, &b, error);
        for (int k = 0; k < 3; k++) lk_npy_array_free(a[k]);
    }
    const uint64_t n = b.offset->len - 1;
    if (ok && n != sp->examples)
        ok = fail(error, LK_ERROR_INPUT, where,
                  "%" G_GUINT64_FORMAT " examples; the manifest says %" G_GUINT64_FORMAT, n,
                  sp->examples) != NULL;
    if (!ok) {
        build_clear(&b);
        return NULL;
    }
    LkExamples *e = g_new0(LkExamples, 1);
    e->n = n;
    e->offset = (uint64_t *)(void *)g_array_free(b.offset, FALSE);
    e->tokens = (int32_t *)(void *)g_array_free(b.tokens, FALSE);
    e->labels = (int32_t *)(void *)g_array_free(b.labels, FALSE);
    return e;
}

void lk_score_examples(const LkDataset *d, const LkExamples *e, const int32_t *pred, LkScore *out)
{
    g_return_if_fail(d != NULL);
    memset(out, 0, sizeof *out);
    out->examples = e->n;
    for (uint64_t i = 0; i < e->n; i++) {
        const uint32_t len = (uint32_t)(e->offset[i + 1] - e->offset[i]);
        if (!i || len < out->min_len) out->min_len = len;
        if (len > out->max_len) out->max_len = len;
    }
    const uint32_t W = out->max_len - out->min_len + 1;
    out->len_counted = g_new0(uint64_t, W);
    out->len_correct = g_new0(uint64_t, W);
    for (uint64_t i = 0; i < e->n; i++) {
        const uint64_t lo = d->prefix_labels ? e->offset[i] : i,
                       hi = d->prefix_labels ? e->offset[i + 1] : i + 1;
        const uint32_t b = (uint32_t)(e->offset[i + 1] - e->offset[i]) - out->min_len;
        bool all = true;
        for (uint64_t t = lo; t < hi; t++) {
            if (e->labels[t] == d->ignore_index) continue;
            const bool right = pred[t] == e->labels[t];
            out->counted++, out->len_counted[b]++;
            out->correct += right, out->len_correct[b] += right;
            all &= right;
        }
        out->examples_correct += all;
    }
}

void lk_score_clear(LkScore *s)
{
    g_free(s->len_counted);
    g_free(s->len_correct);
    memset(s, 0, sizeof *s);
}

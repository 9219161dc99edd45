/* Datasets read back: the first byte picks the file format and the label
 * kind, the rest is the split's file; the harness writes a manifest with the
 * file's true size and checksum (so that the parsers behind the checksum are
 * reached), then reads the split. A second mode (first byte >= 128) feeds
 * the bytes as the manifest itself. */
#include "generators/dataset-read.h"
#include "tests/fuzz/fuzz.h"

#include <string.h>
#include <xxhash.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 20) return 0;
    GError *err = NULL;
    if (data[0] >= 128) {
        g_autofree char *mp = fuzz_file("manifest.json", data + 1, size - 1);
        g_autoptr(LkDataset) d = lk_dataset_open(mp, &err);
        if (!d) {
            fuzz_rejected(err);
            return 0;
        }
        for (uint32_t s = 0; s < d->n_splits; s++) {
            g_autoptr(LkExamples) e =
                lk_dataset_read(d, &d->splits[s], &(LkLimits){.max_memory = 1 << 22}, &err);
            if (!e) fuzz_rejected(err), err = NULL;
        }
        return 0;
    }
    static const char *const fmt[] = {"jsonl", "csv", "npy", "npz"};
    static const char *const file[] = {"test.jsonl", "test.csv", "test.tokens.npy", "test.npz"};
    const int f = data[0] % 4;
    const bool prefix = (data[0] / 4) % 2;
    g_free(fuzz_file(file[f], data + 1, size - 1));
    g_autofree char *extra = NULL;
    if (f == 2) { /* labels and lengths: fixed, well-formed, for two examples of length 2 */
        static const uint8_t hdr[] = "\x93NUMPY\x01\x00\x76\x00";
        GString *lab = g_string_new_len((const char *)hdr, 10),
                *len = g_string_new_len((const char *)hdr, 10);
        g_string_append_printf(lab, "%-117s\n",
                               prefix
                                   ? "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }"
                                   : "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }");
        g_string_append_printf(len, "%-117s\n",
                               "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }");
        const int32_t labels[4] = {0, 1, 1, -100}, lengths[2] = {2, 2};
        g_string_append_len(lab, (const char *)labels, prefix ? 16 : 8);
        g_string_append_len(len, (const char *)lengths, 8);
        g_free(fuzz_file("test.labels.npy", (const uint8_t *)lab->str, lab->len));
        g_free(fuzz_file("test.lengths.npy", (const uint8_t *)len->str, len->len));
        GString *x = g_string_new(NULL);
        GString *parts[2] = {lab, len};
        const char *names[2] = {"test.labels.npy", "test.lengths.npy"};
        for (int i = 0; i < 2; i++) {
            XXH128_canonical_t c;
            XXH128_canonicalFromHash(&c, XXH3_128bits(parts[i]->str, parts[i]->len));
            g_string_append_printf(x, ", {\"path\": \"%s\", \"xxh128\": \"", names[i]);
            for (int j = 0; j < 16; j++) g_string_append_printf(x, "%02x", c.digest[j]);
            g_string_append_printf(x, "\", \"bytes\": %zu}", parts[i]->len);
            g_string_free(parts[i], TRUE);
        }
        extra = g_string_free(x, FALSE);
    }
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits(data + 1, size - 1));
    char sum[33];
    for (int j = 0; j < 16; j++) snprintf(sum + 2 * j, 3, "%02x", c.digest[j]);
    g_autofree char *manifest = g_strdup_printf(
        "{\"format\": \"lrnnkit-dataset\", \"version\": 1, \"task\": \"parity\", \"vocabulary\": "
        "[\"0\", \"1\"], \"pad_token\": 2, \"labels\": {\"kind\": \"%s\", \"ignore_index\": -100, "
        "\"names\": [\"0\", \"1\"]}, \"checksum\": \"xxh128\", \"file_format\": \"%s\", "
        "\"splits\": [{\"name\": \"test\", \"min_len\": 1, \"max_len\": 64, \"examples\": 2, "
        "\"files\": [{\"path\": \"%s\", \"xxh128\": \"%s\", \"bytes\": %zu}%s]}]}",
        prefix ? "prefix" : "final", fmt[f], file[f], sum, size - 1, extra ? extra : "");
    g_autofree char *mp = fuzz_file("manifest.json", (const uint8_t *)manifest, strlen(manifest));
    g_autoptr(LkDataset) d = lk_dataset_open(mp, &err);
    FUZZ_ASSERT(d != NULL, "the harness's manifest: %s", err ? err->message : "");
    g_autoptr(LkExamples) e =
        lk_dataset_read(d, &d->splits[0], &(LkLimits){.max_memory = 1 << 22}, &err);
    if (!e) {
        fuzz_rejected(err);
        return 0;
    }
    FUZZ_ASSERT(e->n == 2, "examples %" G_GUINT64_FORMAT, e->n);
    for (uint64_t t = 0; t < e->offset[e->n]; t++)
        FUZZ_ASSERT(e->tokens[t] >= 0 && e->tokens[t] < 2, "token");
    return 0;
}

/** @file
 * lrnnkit — datasets: splits of task examples written as JSONL, CSV or NumPy.
 *
 * Reproducibility: example j of split s (s = the split's position among the
 * splits, from 0) is drawn by its own xoshiro256** generator, seeded with
 * lk_rng_init_stream(seed_s, j) where seed_s = the first output of
 * lk_rng_init_stream(seed, s). Its class is j mod (task classes), its length
 * is drawn from the split's length distribution, then the task draws it.
 * Hence the same arguments give the same bytes on any machine, and shard i
 * of N (examples [i*count/N, (i+1)*count/N) of every split) needs nothing
 * from the other shards: concatenating the shards' files in order gives the
 * unsharded files (CSV: only shard 0 has the header line). With
 * de-duplication an example equal to an earlier one (same tokens, in this
 * split or an earlier one) is redrawn from its generator, so every shard
 * draws the examples before its range too (time O(all examples)).
 *
 * Files in DIR (unsharded; sharded names insert "-IIIII-of-NNNNN" before the
 * extension, and the manifest is manifest-IIIII-of-NNNNN.json):
 *   jsonl  SPLIT.jsonl: {"input": [ids], "target": [labels] or label}
 *   csv    SPLIT.csv: input,target columns of space-separated ids
 *   npy    SPLIT.tokens.npy int32 [N, W] (padded with the pad id = V),
 *          SPLIT.labels.npy int32 [N] or [N, W] (padding and positions that
 *          do not count: -100), SPLIT.lengths.npy int32 [N], and for prefix
 *          labels SPLIT.mask.npy uint8 [N, W] (1 where the label counts);
 *          W = the split's largest length
 *   npz    SPLIT.npz: the same arrays (tokens, labels, lengths, mask), stored
 * and manifest.json: task, parameters, vocabulary, labels, seed, splits with
 * lengths and counts, and the checksum of every file (XXH3-128 or SHA-256). Every file is written
 * to a temporary name, synced and renamed: an interrupted run leaves no partial output under the
 * final names.
 */
#pragma once

#include "generators/task.h"

G_BEGIN_DECLS

/** File formats of a dataset (docs/formats.md). */
typedef enum { LK_FORMAT_JSONL, LK_FORMAT_CSV, LK_FORMAT_NPY, LK_FORMAT_NPZ } LkFormat;
/** How lengths are drawn: uniform over the split's range, or in proportion
 * to the number of words of each length (uniform over words). */
typedef enum { LK_LENGTHS_UNIFORM, LK_LENGTHS_WORDS } LkLengthDist;
/** File checksums in the manifest: XXH3-128 (fast; `xxhsum -H2`) or SHA-256. */
typedef enum { LK_CHECKSUM_XXH128, LK_CHECKSUM_SHA256 } LkChecksum;

/** A split to generate (lk_split_parse fills one). */
typedef struct {
    char *name;       /**< owned */
    uint32_t min_len; /**< shortest example */
    uint32_t max_len; /**< longest example */
    uint64_t count;   /**< examples */
} LkSplit;

/** What lk_dataset_write writes (every pointer borrowed). */
typedef struct {
    const char *dir;       /**< output directory (created) */
    LkFormat format;       /**< of the split files */
    bool prefix_labels;    /**< a label per position, else the final label */
    LkLengthDist lengths;  /**< length distribution */
    uint64_t seed;         /**< same seed, same bytes */
    const LkSplit *splits; /**< n_splits of them */
    uint32_t n_splits;     /**< splits */
    bool dedup;            /**< no example twice within and across splits */
    uint64_t max_attempts; /**< de-duplication: draws per example (0: 1000) */
    uint32_t shard;        /**< this shard's index (0 of 1: the whole dataset) */
    uint32_t n_shards;     /**< shards in all */
    bool progress;         /**< a progress line on stderr */
    const char *command;   /**< recorded in the manifest (may be NULL) */
    LkChecksum checksum;   /**< of the manifest's sums */
    LkLimits limits;       /**< max_memory: de-duplication's table (0: half of physical memory) */
} LkDatasetSpec;

/** The format called name ("jsonl", "csv", "npy", "npz"); false when none is. */
bool lk_format_parse(const char *name, LkFormat *out);
/** The name of f (static). */
const char *lk_format_name(LkFormat f);
/** The checksum called name ("xxh128", "sha256"); false when none is. */
bool lk_checksum_parse(const char *name, LkChecksum *out);
/** The name of c (static). */
const char *lk_checksum_name(LkChecksum c);
/** @{ */
/** NAME:MINLEN-MAXLEN:COUNT (or NAME:LEN:COUNT). */
bool lk_split_parse(const char *text, LkSplit *out, GError **error);
/** Frees what s holds (not s itself); accepts a zeroed struct. */
void lk_split_clear(LkSplit *s);
/** @} */

/** Writes the dataset. LK_ERROR_INPUT for bad specs (a split whose lengths
 * the task cannot produce, ...), LK_ERROR_LIMIT when de-duplication cannot
 * find a new example in max_attempts draws, or when its table of every
 * example's fingerprint (96 bytes each) would pass limits.max_memory (checked
 * before anything is drawn). */
bool lk_dataset_write(const LkTask *task, const LkDatasetSpec *spec, GError **error);

/** One split's examples in memory, laid out as the npy format's arrays
 * (the caller's buffers): tokens [rows, width] padded with the pad id,
 * labels [rows, width] (prefix labels; padding and positions that do not
 * count: -100) or [rows] (final labels), lengths [rows], mask [rows, width]
 * (prefix labels; may be NULL). */
typedef struct {
    uint64_t rows;    /**< examples */
    uint32_t width;   /**< at least the split's max_len */
    int32_t *tokens;  /**< rows * width */
    int32_t *labels;  /**< rows * width (prefix labels) or rows */
    int32_t *lengths; /**< rows */
    uint8_t *mask;    /**< rows * width, or NULL */
} LkExampleArrays;

/** The examples lk_dataset_write would write (same spec, same seed: the same
 * values as its npy files), into out[s] for split s, this shard's rows
 * (spec->dir and format are not used). LK_ERROR_INPUT when an out[s] has
 * not the split's rows or is narrower than its max_len; errors as
 * lk_dataset_write otherwise. */
bool lk_dataset_fill(const LkTask *task, const LkDatasetSpec *spec, LkExampleArrays *out,
                     GError **error);

G_END_DECLS

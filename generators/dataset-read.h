/** @file
 * lrnnkit — reading back the datasets `lrnnkit gen` writes (dataset.h).
 *
 * lk_dataset_open reads a manifest (DIR/manifest.json, or a manifest file:
 * a sharded dataset has one per shard) and checks it: format
 * "lrnnkit-dataset" version 1, the task, the vocabulary (a valid alphabet),
 * the pad token, the labels (kind, ignore index, names), the file format,
 * the checksum algorithm and the splits with their files. File paths must be
 * plain names in the manifest's directory.
 *
 * lk_dataset_read reads one split in any of the four formats into one
 * layout: the examples' tokens end to end, their offsets, and the labels
 * (one per token for prefix labels, the ignore index where a position does
 * not count; one per example for final labels). Each file's size and
 * checksum (XXH3-128 or SHA-256) are checked against the manifest before it
 * is parsed, and then every example against the manifest: token ids below
 * the vocabulary size, labels below the number of labels or the ignore
 * index, lengths within the split's, the number of examples. The bytes read
 * are bounded by limits->max_memory (LK_ERROR_LIMIT), and what is allocated is
 * proportional to the bytes present, whatever a file declares. O(bytes).
 */
#pragma once

#include "generators/dataset.h"

G_BEGIN_DECLS

/** One split as a dataset's manifest describes it. */
typedef struct {
    char *name;        /**< "train", "test", ... */
    uint32_t min_len;  /**< shortest example */
    uint32_t max_len;  /**< longest example */
    uint64_t examples; /**< in this manifest's files */
    uint32_t n_files;  /**< files of the split (shards, members) */
    char **paths;      /**< n_files plain file names */
    char **sums;       /**< their checksums (lower-case hex) */
    uint64_t *sizes;   /**< their sizes in bytes */
} LkDatasetSplitInfo;

/** A dataset opened from its manifest (files are read by lk_dataset_read). */
typedef struct {
    char *dir;                  /**< where the files are */
    char *task;                 /**< as the manifest names it ("S:5", "member", ...) */
    LkAlphabet *vocabulary;     /**< token names, ids = indices (a reference) */
    uint32_t pad_token;         /**< the padding id of npy/npz files */
    bool prefix_labels;         /**< a label per position, else one per example */
    int32_t ignore_index;       /**< the label of positions that do not count */
    uint32_t n_labels;          /**< distinct labels */
    char **label_names;         /**< n_labels, NULL-terminated */
    LkFormat format;            /**< of its files */
    LkChecksum checksum;        /**< of the manifest's sums */
    uint32_t n_splits;          /**< splits */
    LkDatasetSplitInfo *splits; /**< n_splits of them */
} LkDataset;

/** A split's examples in memory (lk_dataset_read). */
typedef struct {
    uint64_t n;       /**< examples */
    uint64_t *offset; /**< n + 1: example i is tokens[offset[i] .. offset[i + 1]) */
    int32_t *tokens;  /**< offset[n] token ids */
    int32_t *labels;  /**< prefix labels: offset[n] (one per token); final: n */
} LkExamples;

/** @{ */
/** LK_ERROR_INPUT naming the manifest and what is wrong in it. */
LkDataset *lk_dataset_open(const char *path, GError **error);
/** Frees d (NULL is ignored). */
void lk_dataset_free(LkDataset *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkDataset, lk_dataset_free)
/** @} */
/** The split called name (borrowed from d), or NULL. */
const LkDatasetSplitInfo *lk_dataset_split(const LkDataset *d, const char *name);

/** @{ */
/** Reads a split (limits->max_memory bytes of files at most). LK_ERROR_INPUT
 * for a missing, changed or malformed file, LK_ERROR_LIMIT past the limit. */
LkExamples *lk_dataset_read(const LkDataset *d, const LkDatasetSplitInfo *split,
                            const LkLimits *limits, GError **error);
/** Frees e (NULL is ignored). */
void lk_examples_free(LkExamples *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkExamples, lk_examples_free)
/** @} */

/** Accuracy of predicted labels against a split's labels. */
typedef struct {
    uint64_t examples;         /**< examples scored */
    uint64_t counted;          /**< labels that count (positions or examples) */
    uint64_t correct;          /**< counted labels predicted right */
    uint64_t examples_correct; /**< examples with every counted label right */
    uint32_t min_len;          /**< of the examples (0 when none) */
    uint32_t max_len;          /**< of the examples (0 when none) */
    uint64_t *len_counted;     /**< counted labels per length min_len..max_len */
    uint64_t *len_correct;     /**< correct labels per length min_len..max_len */
} LkScore;

/** @{ */
/** Scores pred (laid out as e->labels; a prediction of -1 is always wrong)
 * against e's labels; positions whose label is the ignore index do not
 * count. O(tokens). */
void lk_score_examples(const LkDataset *d, const LkExamples *e, const int32_t *pred, LkScore *out);
/** Frees what s holds (not s itself); accepts a zeroed struct. */
void lk_score_clear(LkScore *s);
/** @} */

G_END_DECLS

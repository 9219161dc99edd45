/** @file
 * lrnnkit — safetensors files of float tensors, written and read.
 *
 * The format (huggingface/safetensors): an 8-byte little-endian header
 * length, a JSON header (here padded with spaces to a multiple of 8) naming
 * each tensor's dtype, shape and byte range, an optional "__metadata__"
 * object of string values, then the tensors' bytes back to back. NumPy reads
 * it in ten lines and PyTorch with safetensors.torch.load_file. lrnnkit's
 * compiled models (lrnn/weights.h) and trained models (train/) both use it,
 * so it lives in the base module.
 *
 * Tensors are given and returned as doubles and stored as F32 (rounded to
 * nearest) or F64. Reading checks every declared range against the bytes
 * present before anything is allocated and refuses overlaps and holes, so a
 * short file cannot make the reader allocate more than the file's size.
 * O(file size) both ways.
 */
#pragma once

#include "automata/error.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** Most dimensions of a tensor lrnnkit reads or writes. */
#define LK_TENSOR_MAX_RANK 4

/** One named tensor of a safetensors file, values as double. */
typedef struct {
    char *name;                         /**< owned */
    uint32_t rank;                      /**< dimensions */
    uint64_t shape[LK_TENSOR_MAX_RANK]; /**< rank extents */
    uint64_t size;                      /**< product of the shape */
    bool f32;                           /**< stored as F32 (read) / to store as F32 (write) */
    double *data;                       /**< size values, C order */
} LkTensor;

/** @{ */
/** A tensor of the given shape (rank <= 4) filled with zeros; name copied. */
LkTensor *lk_tensor_new(const char *name, uint32_t rank, const uint64_t *shape, bool f32);
/** Frees t (NULL is ignored). */
void lk_tensor_free(LkTensor *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkTensor, lk_tensor_free)
/** @} */

/** Writes the tensors (in this order; names must be distinct and not
 * "__metadata__") and the metadata (NULL-terminated key, value pairs, or
 * NULL) to path atomically (automata/atomic-file.h). */
bool lk_safetensors_write(const char *path, LkTensor *const *tensors, guint n,
                          const char *const *metadata, GError **error);

/** Reads path (at most limits->max_memory bytes): a GPtrArray of LkTensor in file
 * order (F32 and F64 tensors; other dtypes are refused), and, when metadata
 * is not NULL, a new hash table of its string metadata. LK_ERROR_INPUT
 * naming the file and what is wrong, LK_ERROR_LIMIT past the limit. */
GPtrArray *lk_safetensors_read(const char *path, const LkLimits *limits, GHashTable **metadata,
                               GError **error);
/** The tensor called name in tensors, or NULL. */
LkTensor *lk_tensors_find(const GPtrArray *tensors, const char *name);

G_END_DECLS

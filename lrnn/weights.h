/** @file
 * lrnnkit — weight files: safetensors that NumPy and PyTorch load directly,
 * with the exact model in the metadata.
 */
#pragma once

#include "lrnn/stack.h"
#include "automata/safetensors.h"

G_BEGIN_DECLS

/** Writes the model as safetensors (F64 or F32 tensors, see the README),
 * atomically. */
bool lk_lrnn_save(const LkLrnn *m, const char *path, bool f32, GError **error);
/** Reads and validates a file written by lk_lrnn_save (header, offsets,
 * shapes, dtypes); the model comes from the exact JSON in __metadata__. */
LkLrnn *lk_lrnn_load(const char *path, GError **error);
/** Stacks: tensors layerI.* for layer I and, for more than one layer,
 * stack.map and stack.accept; __metadata__ "model" holds the stack's JSON.
 * lk_lrnn_load rejects files of more than one layer. */
bool lk_stack_save(const LkStack *s, const char *path, bool f32, GError **error);
/** @{ */
/** The tensors lk_stack_save writes, in file order: a new GPtrArray of
 * LkTensor (automata/safetensors.h; values double, f32 marks them for
 * float32 storage) that frees them. */
GPtrArray *lk_stack_tensors(const LkStack *s, bool f32);
LkStack *lk_stack_load(const char *path, GError **error);
/** @} */
/** The weights as written: the same file read with the tensors as the model
 * and __metadata__ for its structure (layers, alphabet, routes, outputs)
 * only, so that perturbed or fine-tuned weights can be run and verified.
 * Each factor's key k, beta and value v become the exact factor of the
 * recurrence H <- H - beta k (k.H) + beta k v with k as written (not
 * renormalized); gates, h0 and codes as written; rotation layers become
 * ordinary layers of their float keys. LK_ERROR_INPUT for names or shapes
 * that are not the model's, or values that are not finite. */
LkStack *lk_stack_load_tensors(const char *path, GError **error);

G_END_DECLS

/* lrnnkit — weight files: safetensors that NumPy and PyTorch load directly,
 * with the exact model in the metadata.
 */
#pragma once

#include "lrnn/stack.h"

G_BEGIN_DECLS

/* Writes the model as safetensors (F64 or F32 tensors, see the README),
 * atomically. */
bool lk_lrnn_save(const LkLrnn *m, const char *path, bool f32, GError **error);
/* Reads and validates a file written by lk_lrnn_save (header, offsets,
 * shapes, dtypes); the model comes from the exact JSON in __metadata__. */
LkLrnn *lk_lrnn_load(const char *path, GError **error);
/* Stacks: tensors layer<i>.* per layer and, for more than one layer,
 * stack.map and stack.accept; __metadata__ "model" holds the stack's JSON.
 * lk_lrnn_load rejects files of more than one layer. */
bool lk_stack_save(const LkStack *s, const char *path, bool f32, GError **error);
LkStack *lk_stack_load(const char *path, GError **error);

G_END_DECLS

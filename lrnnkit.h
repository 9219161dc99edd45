/** @file
 * lrnnkit — state tracking in linear RNNs, as a C library.
 *
 *   \#include <lrnnkit.h>          cc prog.c $(pkg-config --cflags --libs lrnnkit)
 *
 * One header for the whole public API; the modules' own headers (included
 * below, installed under include/lrnnkit/) document each function.
 *
 *   automata/            regular languages: regex -> NFA -> minimal DFA, DFA
 *                        algebra, counting, built-in families, .npy/.npz and
 *                        safetensors I/O, JSON helpers
 *   automata/semigroup/  transformations, permutation groups, transition
 *                        monoids and Green's relations, cascades, holonomy
 *   lrnn/                models (products of Householder factors per token),
 *                        the compiler from any DFA, exact and float engines,
 *                        the exact verifier, weight files
 *   proofs/              spectra, finite-precision orbits, the theorems'
 *                        checks and reports
 *   generators/          datasets (tasks, splits, .npy/.npz, manifests)
 *   train/               the trainer of Grazzi et al.'s experiments
 *
 * Conventions (every public function keeps them):
 *
 * Errors. A runtime failure (bad input, a file, a limit) is reported through
 * GError in the LK_ERROR domain (automata/error.h); its code is the command's
 * exit code (LK_ERROR_INPUT 2, LK_ERROR_LIMIT 3, LK_ERROR_INTERNAL 4). Messages
 * about a file or text name where: the file, and the line and column (JSON,
 * regex column) when the parser knows them; a regex's position is also
 * structured data of the error (lk_error_location: LK_ERROR is an extended
 * GError domain). Programmer errors (NULL where an
 * object is required) are caught by g_return_val_if_fail: every public
 * function checks the object it works on (its first argument), logs a
 * critical and returns its failure value (NULL, false, 0, or -1 for an
 * int64_t result; tests run with G_DEBUG=fatal-criticals).
 *
 * Outcomes. A function that builds an object returns it, or NULL with *error
 * set. A function that only succeeds or fails returns bool (false with *error
 * set). A question whose answer can fail to be computed (equivalence under a
 * limit, a verification) returns bool too, false with *error set, and puts
 * its answer in an out argument (a bool, or a result struct with the
 * counterexample when there is one). Nothing signals failure by NULL without
 * an error or by a negative integer; -1 is only ever a value ("no output").
 *
 * Limits. Every construction that can blow up takes its bounds as one
 * `const LkLimits *` (NULL: all defaults; a zero field: that default) and
 * fails with LK_ERROR_LIMIT naming the bound it hit. Memory is a bound too
 * (max_memory, estimated before allocating).
 *
 * Ownership. Returned objects belong to the caller and are freed with the
 * type's free or unref function (declared beside it, with
 * G_DEFINE_AUTOPTR_CLEANUP_FUNC for g_autoptr). Parameters are borrowed unless
 * the declaration says "takes" (ownership) or "a new reference". LkAlphabet is
 * reference counted; an object holding one keeps its own reference. Every
 * *_free and *_unref function accepts NULL; a *_clear function frees what a
 * caller's struct holds (not the struct) and accepts a zeroed struct.
 * A returned `const` pointer is borrowed: valid while its owner (named in
 * the declaration's comment) lives; returned `char *` strings are freed with
 * g_free.
 *
 * Threads. No global state is written after start-up except the progress
 * reporter (automata/progress.h, set by the command) and GLib's interned
 * strings. Functions on separate objects may run in separate threads; an
 * object is not locked, so one object is used from one thread at a time
 * unless its header says otherwise. Objects passed as const are only read.
 */
#pragma once

#include "automata/alphabet.h"
#include "automata/atomic-file.h"
#include "automata/count.h"
#include "automata/dfa.h"
#include "automata/error.h"
#include "automata/families.h"
#include "automata/json-util.h"
#include "automata/language.h"
#include "automata/nfa.h"
#include "automata/npy.h"
#include "automata/progress.h"
#include "automata/regex.h"
#include "automata/rng.h"
#include "automata/safetensors.h"
#include "automata/tuple-map.h"

#include "automata/semigroup/cascade.h"
#include "automata/semigroup/holonomy.h"
#include "automata/semigroup/monoid.h"
#include "automata/semigroup/perm-group.h"
#include "automata/semigroup/transf.h"

#include "lrnn/compile.h"
#include "lrnn/dense.h"
#include "lrnn/engine.h"
#include "lrnn/lrnn.h"
#include "lrnn/matrices.h"
#include "lrnn/model.h"
#include "lrnn/precision.h"
#include "lrnn/stack.h"
#include "lrnn/verify.h"
#include "lrnn/weights.h"

#include "proofs/construct.h"
#include "proofs/orbit.h"
#include "proofs/qpoly.h"
#include "proofs/report.h"
#include "proofs/safe-length.h"
#include "proofs/spectrum.h"
#include "proofs/suite.h"

#include "generators/dataset-read.h"
#include "generators/dataset.h"
#include "generators/task.h"

#include "train/train.h"

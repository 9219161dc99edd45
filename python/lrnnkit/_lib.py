"""The shared library liblrnnkit through ctypes: where it is, its structs and
its functions' signatures. Nothing here computes anything.

The library is looked up, in order, at $LRNNKIT_LIBRARY, beside an installed
package (the libdir meson wrote into _paths.py), then by the dynamic loader
(liblrnnkit.so.0)."""
import ctypes
import ctypes.util
import os

c_u8, c_u32, c_u64, c_i32, c_i64 = (ctypes.c_uint8, ctypes.c_uint32, ctypes.c_uint64,
                                    ctypes.c_int32, ctypes.c_int64)
c_bool, c_double, c_char_p, c_void_p = ctypes.c_bool, ctypes.c_double, ctypes.c_char_p, ctypes.c_void_p
P = ctypes.POINTER

SONAME = "liblrnnkit.so.0"


def _candidates():
    env = os.environ.get("LRNNKIT_LIBRARY")
    if env:
        yield env
        return
    try:
        from . import _paths
        yield os.path.join(_paths.LIBDIR, SONAME)
    except ImportError:
        pass
    yield SONAME
    found = ctypes.util.find_library("lrnnkit")
    if found:
        yield found


def _open():
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError("lrnnkit: cannot load the shared library liblrnnkit (set LRNNKIT_LIBRARY "
                      "to its path): " + "; ".join(errors))


lib = _open()
glib = ctypes.CDLL("libglib-2.0.so.0")


class GError(ctypes.Structure):
    _fields_ = [("domain", c_u32), ("code", ctypes.c_int), ("message", c_char_p)]


class GArray(ctypes.Structure):
    _fields_ = [("data", c_void_p), ("len", ctypes.c_uint)]


class GPtrArray(ctypes.Structure):
    _fields_ = [("pdata", P(c_void_p)), ("len", ctypes.c_uint)]


class Limits(ctypes.Structure):
    """LkLimits (automata/error.h): zero fields are the library's defaults."""
    _fields_ = [(name, c_u64) for name in (
        "max_states", "max_positions", "max_elements", "max_memory", "max_pairs", "max_images",
        "max_steps", "max_words", "max_dim")]


LIMIT_NAMES = tuple(name for name, _ in Limits._fields_)


class Dfa(ctypes.Structure):
    _fields_ = [("n", c_u32), ("k", c_u32), ("start", c_u32), ("delta", P(c_u32)),
                ("accept", P(c_u8)), ("alphabet", c_void_p)]


class Source(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("text", c_char_p)]


SOURCE_REGEX, SOURCE_DFA_FILE, SOURCE_FAMILY, SOURCE_CASCADE_FILE = range(4)
MINIMIZERS = {"hopcroft": 0, "brzozowski": 1, "auto": 2}


class MonoidGroup(ctypes.Structure):
    _fields_ = [("order", c_u32), ("degree", c_u32), ("cyclic", c_bool), ("abelian", c_bool),
                ("solvable", c_bool), ("exponent", c_u32), ("count", c_u32), ("example", c_u32)]


class MonoidAnalysis(ctypes.Structure):
    _fields_ = [("size", c_u32), ("idempotents", c_u32), ("r_classes", c_u32),
                ("l_classes", c_u32), ("h_classes", c_u32), ("d_classes", c_u32),
                ("regular_d_classes", c_u32), ("is_group", c_bool), ("is_aperiodic", c_bool),
                ("groups_solvable", c_bool), ("periods", P(GArray)), ("groups", P(GArray)),
                ("eigenvalues", ctypes.c_int), ("witness", c_u32), ("witness_period", c_u32),
                ("max_reflections", c_i64), ("d_class", P(c_u32)), ("r_class", P(c_u32)),
                ("l_class", P(c_u32))]


class Stack(ctypes.Structure):
    _fields_ = [("alphabet", c_void_p), ("n_layers", c_u32), ("layer", P(c_void_p)),
                ("n_out", c_u32), ("map", c_void_p), ("accept", P(c_u8)), ("route", c_void_p),
                ("family", c_char_p), ("dfa_state", P(c_i64))]


class Tensor(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("rank", c_u32), ("shape", c_u64 * 4), ("size", c_u64),
                ("f32", c_bool), ("data", P(c_double))]


class CompileOptions(ctypes.Structure):
    _fields_ = [("gated", c_bool), ("limits", Limits), ("no_merge", c_bool),
                ("max_width", c_u32), ("family", c_char_p)]


class CompileInfo(ctypes.Structure):
    _fields_ = [("construction", c_char_p), ("holonomy_levels", c_u32)]


class VerifyResult(ctypes.Structure):
    _fields_ = [("verified", c_bool), ("counterexample", P(GArray)), ("pairs", c_u64),
                ("lrnn_states", c_u64), ("max_float_error", c_double),
                ("max_float_errors", c_double * 4), ("output_states", P(c_i64))]


class Split(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("min_len", c_u32), ("max_len", c_u32), ("count", c_u64)]


class DatasetSpec(ctypes.Structure):
    _fields_ = [("dir", c_char_p), ("format", ctypes.c_int), ("prefix_labels", c_bool),
                ("lengths", ctypes.c_int), ("seed", c_u64), ("splits", P(Split)),
                ("n_splits", c_u32), ("dedup", c_bool), ("max_attempts", c_u64),
                ("shard", c_u32), ("n_shards", c_u32), ("progress", c_bool),
                ("command", c_char_p), ("checksum", ctypes.c_int), ("limits", Limits)]


class TaskOptions(ctypes.Structure):
    _fields_ = [("pad", c_u32), ("p_write", c_double), ("p_read", c_double),
                ("p_ignore", c_double), ("modulus", c_u32), ("dfa", c_void_p),
                ("source", c_char_p), ("max_len", c_u32), ("limits", Limits)]


class ExampleArrays(ctypes.Structure):
    _fields_ = [("rows", c_u64), ("width", c_u32), ("tokens", P(c_i32)), ("labels", P(c_i32)),
                ("lengths", P(c_i32)), ("mask", P(c_u8))]


class DatasetSplitInfo(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("min_len", c_u32), ("max_len", c_u32),
                ("examples", c_u64), ("n_files", c_u32), ("paths", P(c_char_p)),
                ("sums", P(c_char_p)), ("sizes", P(c_u64))]


class Dataset(ctypes.Structure):
    _fields_ = [("dir", c_char_p), ("task", c_char_p), ("vocabulary", c_void_p),
                ("pad_token", c_u32), ("prefix_labels", c_bool), ("ignore_index", c_i32),
                ("n_labels", c_u32), ("label_names", P(c_char_p)), ("format", ctypes.c_int),
                ("checksum", ctypes.c_int), ("n_splits", c_u32),
                ("splits", P(DatasetSplitInfo))]


class Examples(ctypes.Structure):
    _fields_ = [("n", c_u64), ("offset", P(c_u64)), ("tokens", P(c_i32)), ("labels", P(c_i32))]


GE = P(P(GError))
ENGINES = {"exact": 0, "f64": 1, "f32": 2, "bf16": 3, "f16": 4}
STRATEGIES = {"auto": 0, "group": 1, "permutation-reset": 2, "holonomy": 3, "scalar": 4,
              "rotation": 5, "points": 6}
EIGEN_CLASSES = ("nonnegative", "negative", "complex")


def _sig(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype, f.argtypes = restype, list(argtypes)


for _name, _res, _args in [
    ("lk_version", c_char_p, ()),
    ("lk_error_location", c_bool, (P(GError), P(c_u32), P(c_u32))),
    ("lk_alphabet_new_chars", c_void_p, (c_char_p, GE)),
    ("lk_alphabet_new_list", c_void_p, (c_char_p, GE)),
    ("lk_alphabet_ref", c_void_p, (c_void_p,)),
    ("lk_alphabet_unref", None, (c_void_p,)),
    ("lk_alphabet_size", c_u32, (c_void_p,)),
    ("lk_alphabet_name", c_char_p, (c_void_p, c_u32)),
    ("lk_alphabet_index", c_i64, (c_void_p, c_char_p)),
    ("lk_source_dfa", P(Dfa), (P(Source), c_void_p, ctypes.c_int, P(Limits), GE)),
    ("lk_dfas_unify_alphabets", None, (P(P(Dfa)), ctypes.c_size_t)),
    ("lk_dfa_copy", P(Dfa), (P(Dfa),)),
    ("lk_dfa_accepts", c_bool, (P(Dfa), P(c_u32), ctypes.c_size_t)),
    ("lk_dfa_free", None, (P(Dfa),)),
    ("lk_dfa_with_alphabet", P(Dfa), (P(Dfa), c_void_p, GE)),
    ("lk_dfa_minimize", P(Dfa), (P(Dfa),)),
    ("lk_dfa_to_json", c_void_p, (P(Dfa),)),
    ("lk_dfa_from_json", P(Dfa), (c_char_p, ctypes.c_ssize_t, c_char_p, GE)),
    ("lk_dfa_equivalent", c_bool, (P(Dfa), P(Dfa), P(c_bool), P(GArray), P(Limits), GE)),
    ("lk_dfa_included", c_bool, (P(Dfa), P(Dfa), P(c_bool), P(GArray), P(Limits), GE)),
    ("lk_dfa_count_text", c_void_p, (P(Dfa), c_u32)),
    ("lk_alphabet_word_to_string", c_void_p, (c_void_p, P(c_u32), ctypes.c_size_t)),
    ("lk_monoid_new_from_dfa", c_void_p, (P(Dfa), P(Limits), GE)),
    ("lk_monoid_free", None, (c_void_p,)),
    ("lk_monoid_degree", c_u32, (c_void_p,)),
    ("lk_monoid_ngens", c_u32, (c_void_p,)),
    ("lk_monoid_analyze", P(MonoidAnalysis), (c_void_p, c_bool)),
    ("lk_monoid_analysis_free", None, (P(MonoidAnalysis),)),
    ("lk_monoid_analysis_reason", c_void_p, (c_void_p, P(MonoidAnalysis), c_void_p)),
    ("lk_monoid_word_text", c_void_p, (c_void_p, c_u32, c_void_p)),
    ("lk_eigen_class_name", c_char_p, (ctypes.c_int,)),
    ("lk_stack_compile_dfa", P(Stack), (P(Dfa), ctypes.c_int, P(CompileOptions),
                                        P(CompileInfo), GE)),
    ("lk_stack_free", None, (P(Stack),)),
    ("lk_stack_tensors", P(GPtrArray), (P(Stack), c_bool)),
    ("lk_stack_to_json", c_void_p, (P(Stack),)),
    ("lk_stack_save", c_bool, (P(Stack), c_char_p, c_bool, GE)),
    ("lk_stack_load", P(Stack), (c_char_p, GE)),
    ("lk_stack_load_tensors", P(Stack), (c_char_p, GE)),
    ("lk_stack_run_words", c_bool, (P(Stack), ctypes.c_int, c_void_p, c_void_p, c_u64, c_void_p,
                                    c_void_p, GE)),
    ("lk_stack_verify", c_bool, (P(Stack), P(Dfa), P(Limits), P(VerifyResult), GE)),
    ("lk_verify_result_clear", None, (P(VerifyResult),)),
    ("lk_task_new", c_void_p, (c_char_p, P(TaskOptions), GE)),
    ("lk_task_free", None, (c_void_p,)),
    ("lk_task_vocabulary", c_void_p, (c_void_p,)),
    ("lk_task_n_labels", c_u32, (c_void_p,)),
    ("lk_task_label_name", c_char_p, (c_void_p, c_u32)),
    ("lk_split_parse", c_bool, (c_char_p, P(Split), GE)),
    ("lk_split_clear", None, (P(Split),)),
    ("lk_dataset_fill", c_bool, (c_void_p, P(DatasetSpec), P(ExampleArrays), GE)),
    ("lk_dataset_open", P(Dataset), (c_char_p, GE)),
    ("lk_dataset_free", None, (P(Dataset),)),
    ("lk_dataset_read", P(Examples), (P(Dataset), P(DatasetSplitInfo), P(Limits), GE)),
    ("lk_examples_free", None, (P(Examples),)),
]:
    _sig(_name, _res, *_args)

glib.g_free.argtypes, glib.g_free.restype = [c_void_p], None
glib.g_error_free.argtypes, glib.g_error_free.restype = [P(GError)], None
glib.g_array_new.argtypes, glib.g_array_new.restype = [ctypes.c_int, ctypes.c_int, ctypes.c_uint], P(GArray)
glib.g_array_unref.argtypes, glib.g_array_unref.restype = [P(GArray)], None
glib.g_ptr_array_unref.argtypes, glib.g_ptr_array_unref.restype = [P(GPtrArray)], None


def take_string(ptr):
    """A g_malloc'd C string as str (freed)."""
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr).decode()
    finally:
        glib.g_free(ptr)

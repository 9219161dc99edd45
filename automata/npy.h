/** @file
 * lrnnkit — reading NumPy's .npy arrays and .npz archives (np.save,
 * np.savez, np.savez_compressed): weights written by training code
 * (lrnn/matrices.h) and datasets read back (generators/dataset-read.h). It
 * lives in the base module because both use it.
 *
 * .npz is a zip archive of .npy members, stored or deflated (zlib), CRC-32
 * checked; zip64 archives are refused. A .npy member is the magic
 * "\x93NUMPY", a version (1, 2 or 3), a header dict ('descr', 'fortran_order',
 * 'shape') and the raw data, in C or Fortran order, returned in C order.
 * Floats (little-endian float64 '<f8', float32 '<f4') are read into doubles
 * (exactly); integers ('|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8',
 * '<u8') into int32 (values outside int32 are refused). Every size is checked
 * against the bytes present before anything is allocated: a short file
 * cannot make the reader allocate more than limits->max_memory. O(file size).
 */
#pragma once

#include "automata/error.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** Most dimensions of an array lrnnkit reads. */
#define LK_NPY_MAX_DIMS 8

/** One array of a .npy file or .npz member, values widened to double or int32. */
typedef struct {
    char *name;                      /**< the member's name without ".npy" */
    int ndim;                        /**< dimensions */
    uint64_t shape[LK_NPY_MAX_DIMS]; /**< ndim extents */
    uint64_t size;                   /**< product of the shape */
    char kind;                       /**< 'f', 'i' or 'u' as in the descr */
    unsigned width;                  /**< bytes per value as stored */
    bool f32;                        /**< stored as float32 */
    bool integer;                    /**< stored as integers: ints is set, data is NULL */
    bool fortran;                    /**< while reading: stored in Fortran order */
    double *data;                    /**< floats: size values, C order */
    int32_t *ints;                   /**< integers: size values, C order */
} LkNpyArray;

/** Frees a (NULL is ignored). */
void lk_npy_array_free(LkNpyArray *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkNpyArray, lk_npy_array_free)

/** Parses one .npy image (len bytes) named name. LK_ERROR_INPUT naming what
 * is wrong (prefixed by where). */
LkNpyArray *lk_npy_parse(const uint8_t *buf, size_t len, const char *name, const char *where,
                         GError **error);
/** The arrays of an .npz file (GPtrArray of LkNpyArray, in archive order);
 * members larger than limits->max_memory uncompressed are LK_ERROR_LIMIT. */
GPtrArray *lk_npz_load(const char *path, const LkLimits *limits, GError **error);
/** The array called name in arrays (borrowed from arrays), or NULL. */
const LkNpyArray *lk_npz_find(const GPtrArray *arrays, const char *name);

/* ---- writing ---- */

/** Appends the .npy version 1.0 preamble (magic, version, header dict padded
 * to a multiple of 64 bytes) of a C-order array to out; descr is NumPy's
 * ("<f8", "<f4", "<i4", "|u1"). The data follows it as raw bytes. */
void lk_npy_put_header(GString *out, const char *descr, int ndim, const uint64_t *shape);
/** A whole .npy image of doubles stored as "<f8", or as "<f4" when f32. */
GByteArray *lk_npy_encode_f64(int ndim, const uint64_t *shape, const double *data, bool f32);
/** A whole .npy image of "<i4" integers. */
GByteArray *lk_npy_encode_i32(int ndim, const uint64_t *shape, const int32_t *data);

/** @{ */
/** Zip records of stored (uncompressed) members, as .npz files need them:
 * the local header (30 bytes, then the name), the central directory entry
 * (46 bytes, then the name) and the end record (22 bytes). Sizes and
 * offsets must fit in 32 bits (no zip64). */
void lk_zip_local_header(uint8_t out[30], size_t name_len, uint32_t crc, uint32_t size);
void lk_zip_central_entry(uint8_t out[46], size_t name_len, uint32_t crc, uint32_t size,
                          uint32_t offset);
void lk_zip_end_record(uint8_t out[22], uint32_t members, uint32_t cd_size, uint32_t cd_start);
/** @} */
/** Writes the members (.npy images, named NAME.npy inside) as an .npz file,
 * atomically. LK_ERROR_LIMIT past 4 GiB. */
bool lk_npz_write(const char *path, guint n, const char *const *names, GByteArray *const *members,
                  GError **error);

G_END_DECLS

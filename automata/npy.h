/* lrnnkit — reading NumPy's .npy arrays and .npz archives (np.save,
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
 * cannot make the reader allocate more than max_bytes. O(file size).
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

#define LK_NPY_MAX_DIMS 8

typedef struct {
    char *name; /* the member's name without ".npy" */
    int ndim;
    uint64_t shape[LK_NPY_MAX_DIMS];
    uint64_t size;  /* product of the shape */
    char kind;      /* 'f', 'i' or 'u' as in the descr */
    unsigned width; /* bytes per value as stored */
    bool f32;       /* stored as float32 */
    bool integer;   /* stored as integers: ints is set, data is NULL */
    bool fortran;   /* while reading: stored in Fortran order */
    double *data;   /* floats: size values, C order */
    int32_t *ints;  /* integers: size values, C order */
} LkNpyArray;

void lk_npy_array_free(LkNpyArray *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkNpyArray, lk_npy_array_free)

/* Parses one .npy image (len bytes) named name. LK_ERROR_INPUT naming what
 * is wrong (prefixed by where). */
LkNpyArray *lk_npy_parse(const uint8_t *buf, size_t len, const char *name, const char *where,
                         GError **error);
/* The arrays of an .npz file (GPtrArray of LkNpyArray, in archive order);
 * members larger than max_bytes uncompressed (0: 1 GiB) are LK_ERROR_LIMIT. */
GPtrArray *lk_npz_load(const char *path, uint64_t max_bytes, GError **error);
/* The array called name in arrays, or NULL. */
const LkNpyArray *lk_npz_find(const GPtrArray *arrays, const char *name);

G_END_DECLS

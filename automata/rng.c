/* xoshiro256** with splitmix64 seeding; see rng.h. */
#include "automata/rng.h"

#include <glib.h>

G_STATIC_ASSERT(sizeof(unsigned long) == 8);

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void lk_rng_init(LkRng *r, uint64_t seed)
{
    g_return_if_fail(r != NULL);
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

void lk_rng_init_stream(LkRng *r, uint64_t seed, uint64_t index)
{
    g_return_if_fail(r != NULL);
    uint64_t x = seed ^ 0x6A09E667F3BCC909ull;
    uint64_t mixed = splitmix64(&x) ^ (index * 0xD1B54A32D192ED03ull);
    lk_rng_init(r, mixed);
}

uint64_t lk_rng_below_slow(LkRng *r, uint64_t n, unsigned __int128 m)
{
    g_return_val_if_fail(n >= 1, 0);
    uint64_t low = (uint64_t)m;
    const uint64_t threshold = -n % n;
    while (low < threshold) {
        m = (unsigned __int128)lk_rng_next(r) * n;
        low = (uint64_t)m;
    }
    return (uint64_t)(m >> 64);
}

double lk_rng_double(LkRng *r)
{
    g_return_val_if_fail(r != NULL, 0.0);
    return (double)(lk_rng_next(r) >> 11) * 0x1.0p-53;
}

void lk_rng_mpz_below(LkRng *r, mpz_t out, const mpz_t n)
{
    g_return_if_fail(mpz_sgn(n) > 0);
    if (mpz_fits_ulong_p(n)) {
        mpz_set_ui(out, lk_rng_below(r, mpz_get_ui(n)));
        return;
    }
    const size_t bits = mpz_sizeinbase(n, 2);
    const size_t limbs = (bits + 63) / 64;
    do { /* uniform on [0, 2^bits), accepted with probability > 1/2 */
        mpz_set_ui(out, 0);
        for (size_t i = 0; i < limbs; i++) {
            mpz_mul_2exp(out, out, 64);
            mpz_add_ui(out, out, (unsigned long)lk_rng_next(r)); /* unsigned long is 64-bit */
        }
        mpz_tdiv_r_2exp(out, out, bits);
    } while (mpz_cmp(out, n) >= 0);
}

/* Finite number formats (see precision.h). */
#include "lrnn/precision.h"

#include "automata/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int bits, min_exp; /* significand bits, least normal exponent */
    double max;        /* largest finite value */
} FloatFormat;

static FloatFormat float_format(LkEngine e)
{
    switch (e) {
    case LK_ENGINE_F32:
        return (FloatFormat){24, -126, 3.4028234663852886e38};
    case LK_ENGINE_BF16:
        return (FloatFormat){8, -126, 3.3895313892515355e38};
    case LK_ENGINE_F16:
        return (FloatFormat){11, -14, 65504.0};
    default:
        return (FloatFormat){53, -1022, 1.7976931348623157e308};
    }
}

LkPrecision lk_precision_float(LkEngine e)
{
    g_return_val_if_fail(e != LK_ENGINE_EXACT, (LkPrecision){0});
    return (LkPrecision){.kind = LK_PRECISION_FLOAT, .format = e};
}

/* A decimal [-]D[.D] as v / 10^digits (digits <= 12); false when malformed. */
static bool parse_decimal(const char *s, int64_t *v, int *digits)
{
    const char *p = s;
    bool neg = *p == '-';
    if (neg || *p == '+') p++;
    int64_t x = 0;
    int d = 0, n = 0;
    bool frac = false;
    for (; *p; p++) {
        if (*p == '.' && !frac) {
            frac = true;
            continue;
        }
        if (*p < '0' || *p > '9' || n >= 17 || (frac && d >= 12)) return false;
        x = x * 10 + (*p - '0'), n++;
        if (frac) d++;
    }
    if (!n) return false;
    *v = neg ? -x : x, *digits = d;
    return true;
}

static int64_t pow10_i64(int d)
{
    int64_t r = 1;
    while (d-- > 0) r *= 10;
    return r;
}

static bool parse_grid(const char *spec, LkPrecision *out, GError **error)
{
    g_auto(GStrv) part = g_strsplit(spec, ":", -1);
    int64_t v[3];
    int d[3], dmax = 0;
    if (g_strv_length(part) != 3) goto bad;
    for (int i = 0; i < 3; i++) {
        if (!parse_decimal(part[i], &v[i], &d[i])) goto bad;
        dmax = MAX(dmax, d[i]);
    }
    for (int i = 0; i < 3; i++) { /* common denominator 10^dmax; |values| < 10^17 */
        int64_t f = pow10_i64(dmax - d[i]);
        if (llabs(v[i]) > INT64_C(100000000000000000) / f) goto bad;
        v[i] *= f;
    }
    if (v[2] <= 0 || v[1] <= v[0]) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "precision 'grid:%s': needs LO < HI and STEP > 0", spec);
        return false;
    }
    int64_t count = (v[1] - v[0]) / v[2] + 1;
    *out = (LkPrecision){.kind = LK_PRECISION_GRID,
                         .lo = v[0],
                         .step = v[2],
                         .den = pow10_i64(dmax),
                         .count = count};
    return true;
bad:
    g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                "precision 'grid:%s': expected grid:LO:HI:STEP with decimals such as "
                "grid:-1:1:0.125 (at most 12 decimals, |value| < 1e5)",
                spec);
    return false;
}

bool lk_precision_parse(const char *text, LkPrecision *out, GError **error)
{
    g_return_val_if_fail(text != NULL, false);
    LkEngine e;
    if (lk_engine_parse(text, &e) && e != LK_ENGINE_EXACT) {
        *out = lk_precision_float(e);
        return true;
    }
    if (g_str_has_prefix(text, "fixed:")) {
        char *end;
        const char *b = text + 6;
        long bits = strtol(b, &end, 10);
        if (*b >= '0' && *b <= '9' && !*end && bits >= 0 && bits <= 30) {
            *out = (LkPrecision){.kind = LK_PRECISION_FIXED, .bits = (int)bits};
            return true;
        }
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "precision '%s': fixed:B takes 0 <= B <= 30 fractional bits (a 32-bit word)",
                    text);
        return false;
    }
    if (g_str_has_prefix(text, "grid:")) return parse_grid(text + 5, out, error);
    g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                "unknown precision '%s' (f64, f32, f16, bf16, fixed:B, grid:LO:HI:STEP)", text);
    return false;
}

static void append_decimal(GString *s, int64_t v, int64_t den)
{
    if (v < 0) g_string_append_c(s, '-');
    uint64_t a = (uint64_t)llabs(v);
    g_string_append_printf(s, "%" G_GUINT64_FORMAT, a / (uint64_t)den);
    uint64_t r = a % (uint64_t)den;
    if (!r) return;
    g_string_append_c(s, '.');
    for (uint64_t d = (uint64_t)den / 10; d && r; d /= 10) {
        g_string_append_c(s, (char)('0' + r / d));
        r %= d;
    }
}

char *lk_precision_name(const LkPrecision *p)
{
    g_return_val_if_fail(p != NULL, NULL);
    switch (p->kind) {
    case LK_PRECISION_FIXED:
        return g_strdup_printf("fixed:%d", p->bits);
    case LK_PRECISION_GRID: {
        GString *s = g_string_new("grid:");
        append_decimal(s, p->lo, p->den);
        g_string_append_c(s, ':');
        append_decimal(s, p->lo + (p->count - 1) * p->step, p->den);
        g_string_append_c(s, ':');
        append_decimal(s, p->step, p->den);
        return g_string_free(s, FALSE);
    }
    default:
        return g_strdup(lk_engine_name(p->format));
    }
}

bool lk_precision_has_step(const LkPrecision *p)
{
    g_return_val_if_fail(p != NULL, false);
    return p->kind != LK_PRECISION_GRID;
}

/* ---- step arithmetic ---- */

#define FIXED_MAX 2147483647.0
#define FIXED_MIN (-2147483648.0)

static double fixed_from_int(const LkPrecision *p, double q)
{
    return ldexp(CLAMP(q, FIXED_MIN, FIXED_MAX), -p->bits);
}

double lk_precision_round(const LkPrecision *p, double x)
{
    if (p->kind == LK_PRECISION_FLOAT) return lk_engine_round(p->format, x);
    g_return_val_if_fail(p->kind == LK_PRECISION_FIXED, x);
    if (isnan(x)) return 0;
    return fixed_from_int(p, nearbyint(CLAMP(ldexp(x, p->bits), FIXED_MIN, FIXED_MAX)));
}

double lk_precision_mul(const LkPrecision *p, double a, double b)
{
    if (p->kind == LK_PRECISION_FLOAT) return lk_engine_round(p->format, a * b);
    g_return_val_if_fail(p->kind == LK_PRECISION_FIXED, a * b);
    /* a 2^B and b 2^B are integers of at most 31 bits: their product is exact in int64 */
    const int64_t x = (int64_t)ldexp(a, p->bits) * (int64_t)ldexp(b, p->bits);
    if (!p->bits) return fixed_from_int(p, (double)CLAMP(x, INT32_MIN, INT32_MAX));
    int64_t q = x >> p->bits; /* floor */
    const int64_t r = x - q * (INT64_C(1) << p->bits), half = INT64_C(1) << (p->bits - 1);
    if (r > half || (r == half && (q & 1))) q++;
    return fixed_from_int(p, (double)CLAMP(q, INT32_MIN, INT32_MAX));
}

double lk_precision_add(const LkPrecision *p, double a, double b)
{
    if (p->kind == LK_PRECISION_FLOAT) return lk_engine_round(p->format, a + b);
    g_return_val_if_fail(p->kind == LK_PRECISION_FIXED, a + b);
    return CLAMP(a + b, ldexp(FIXED_MIN, -p->bits), ldexp(FIXED_MAX, -p->bits)); /* exact */
}

/* ---- exact casts ---- */

/* m <- round(num / den) to nearest, ties up or down (den > 0). */
static void round_div(mpz_t m, const mpz_t num, const mpz_t den, mpz_t r, bool tie_up)
{
    mpz_fdiv_qr(m, r, num, den);
    mpz_mul_2exp(r, r, 1);
    int c = mpz_cmp(r, den);
    if (c > 0 || (c == 0 && tie_up)) mpz_add_ui(m, m, 1);
}

/* |x| = N / D (x != 0): m <- round(|x| 2^-qe). When D = 2^s (dyadic x:
 * every value of a binary format and their sums), a shift with a sticky
 * bit, O(size of N); otherwise one division. */
static void round_scaled(mpz_t m, mpq_srcptr x, long qe, mpz_t num, mpz_t den, mpz_t r, bool tie_up)
{
    mpz_abs(num, mpq_numref(x));
    if (mpz_popcount(mpq_denref(x)) == 1) {
        const long sh = (long)mpz_sizeinbase(mpq_denref(x), 2) - 1 + qe;
        if (sh <= 0) {
            mpz_mul_2exp(m, num, (mp_bitcnt_t)-sh);
            return;
        }
        mpz_fdiv_q_2exp(m, num, (mp_bitcnt_t)sh);
        if (mpz_tstbit(num, (mp_bitcnt_t)(sh - 1)) &&
            (mpz_scan1(num, 0) < (mp_bitcnt_t)(sh - 1) || tie_up))
            mpz_add_ui(m, m, 1);
        return;
    }
    mpz_set(den, mpq_denref(x));
    if (qe < 0)
        mpz_mul_2exp(num, num, (mp_bitcnt_t)-qe);
    else
        mpz_mul_2exp(den, den, (mp_bitcnt_t)qe);
    round_div(m, num, den, r, tie_up);
}

/* e with 2^(e-1) <= |x| < 2^e (x != 0). */
static long exponent_of(mpq_srcptr x, mpz_t num, mpz_t den)
{
    long e = (long)mpz_sizeinbase(mpq_numref(x), 2) - (long)mpz_sizeinbase(mpq_denref(x), 2);
    if (mpz_popcount(mpq_denref(x)) == 1) return e + 1; /* D = 2^s: exactly */
    /* |x| in [2^(e-1), 2^(e+1)): compare with 2^e */
    mpz_abs(num, mpq_numref(x));
    mpz_set(den, mpq_denref(x));
    if (e >= 0)
        mpz_mul_2exp(den, den, (mp_bitcnt_t)e);
    else
        mpz_mul_2exp(num, num, (mp_bitcnt_t)-e);
    return mpz_cmp(num, den) >= 0 ? e + 1 : e;
}

void lk_precision_cast(const LkPrecision *p, mpq_ptr out, mpq_srcptr x)
{
    g_return_if_fail(p != NULL);
    mpz_t m, num, den, r;
    mpz_inits(m, num, den, r, NULL);
    const int sign = mpq_sgn(x);
    switch (p->kind) {
    case LK_PRECISION_FLOAT: {
        if (!sign) {
            mpq_set_ui(out, 0, 1);
            break;
        }
        const FloatFormat f = float_format(p->format);
        const long max_e = p->format == LK_ENGINE_F16   ? 16
                           : p->format == LK_ENGINE_F64 ? 1024
                                                        : 128;
        long e = exponent_of(x, num, den);
        if (e > max_e) { /* beyond every finite value */
            mpq_set_d(out, sign * f.max);
            break;
        }
        if (e - 1 < f.min_exp) e = f.min_exp + 1; /* subnormal: fixed quantum */
        const long qe = e - f.bits;
        round_scaled(m, x, qe, num, den, r, sign < 0); /* |x|: the smaller is up for x < 0 */
        if (sign < 0) mpz_neg(m, m);
        mpq_set_z(out, m);
        if (qe >= 0)
            mpq_mul_2exp(out, out, (mp_bitcnt_t)qe);
        else
            mpq_div_2exp(out, out, (mp_bitcnt_t)-qe);
        if (fabs(mpq_get_d(out)) > f.max) mpq_set_d(out, sign * f.max); /* saturate */
        break;
    }
    case LK_PRECISION_FIXED: {
        if (sign) round_scaled(m, x, -p->bits, num, den, r, sign < 0);
        if (sign < 0) mpz_neg(m, m);
        if (mpz_cmp_si(m, INT32_MAX) > 0) mpz_set_si(m, INT32_MAX);
        if (mpz_cmp_si(m, INT32_MIN) < 0) mpz_set_si(m, INT32_MIN);
        mpq_set_z(out, m);
        mpq_div_2exp(out, out, (mp_bitcnt_t)p->bits);
        break;
    }
    case LK_PRECISION_GRID: {
        /* j = round((x den - lo) / step), clamped to 0..count-1 */
        mpz_mul_si(num, mpq_numref(x), p->den);
        mpz_mul_si(r, mpq_denref(x), p->lo);
        mpz_sub(num, num, r);
        mpz_mul_si(den, mpq_denref(x), p->step);
        round_div(m, num, den, r, false);
        if (mpz_sgn(m) < 0) mpz_set_ui(m, 0);
        if (mpz_cmp_si(m, p->count - 1) > 0) mpz_set_si(m, p->count - 1);
        mpz_mul_si(m, m, p->step);
        mpz_set_si(r, p->lo);
        mpz_add(m, m, r);
        mpq_set_z(out, m);
        mpz_set_si(den, p->den);
        mpq_set_den(out, den);
        mpq_canonicalize(out);
        break;
    }
    }
    mpz_clears(m, num, den, r, NULL);
}

void lk_precision_extreme(const LkPrecision *p, int dir, mpq_ptr out)
{
    g_return_if_fail(p != NULL);
    switch (p->kind) {
    case LK_PRECISION_FLOAT:
        mpq_set_d(out, (dir > 0 ? 1 : -1) * float_format(p->format).max);
        break;
    case LK_PRECISION_FIXED:
        mpq_set_si(out, dir > 0 ? INT32_MAX : INT32_MIN, 1);
        mpq_div_2exp(out, out, (mp_bitcnt_t)p->bits);
        break;
    case LK_PRECISION_GRID:
        mpq_set_si(out, p->lo + (dir > 0 ? (p->count - 1) * p->step : 0), (unsigned long)p->den);
        mpq_canonicalize(out);
        break;
    }
}

bool lk_precision_next(const LkPrecision *p, mpq_srcptr v, int dir, mpq_ptr out)
{
    g_return_val_if_fail(p != NULL, false);
    mpq_t ext;
    mpq_init(ext);
    lk_precision_extreme(p, dir, ext);
    const bool at_end = mpq_equal(v, ext);
    mpq_clear(ext);
    if (at_end) return false;
    mpq_t q;
    mpq_init(q);
    switch (p->kind) {
    case LK_PRECISION_FLOAT: {
        const FloatFormat f = float_format(p->format);
        const int s = mpq_sgn(v);
        long e = f.min_exp + 1; /* zero and subnormals: the least quantum */
        if (s) {
            mpz_t num, den;
            mpz_inits(num, den, NULL);
            e = MAX(exponent_of(v, num, den), f.min_exp + 1);
            mpz_clears(num, den, NULL);
        }
        long qe = e - f.bits;
        if (s && s != dir) { /* toward zero: below a binade's least value the quantum halves */
            mpq_set_ui(q, 1, 1);
            if (e - 1 >= 0)
                mpq_mul_2exp(q, q, (mp_bitcnt_t)(e - 1));
            else
                mpq_div_2exp(q, q, (mp_bitcnt_t)(1 - e));
            mpq_abs(out, v);
            if (mpq_equal(out, q) && e - 1 > f.min_exp) qe--;
        }
        mpq_set_ui(q, 1, 1);
        if (qe >= 0)
            mpq_mul_2exp(q, q, (mp_bitcnt_t)qe);
        else
            mpq_div_2exp(q, q, (mp_bitcnt_t)-qe);
        break;
    }
    case LK_PRECISION_FIXED:
        mpq_set_ui(q, 1, 1);
        mpq_div_2exp(q, q, (mp_bitcnt_t)p->bits);
        break;
    case LK_PRECISION_GRID:
        mpq_set_si(q, p->step, (unsigned long)p->den);
        mpq_canonicalize(q);
        break;
    }
    if (dir > 0)
        mpq_add(out, v, q);
    else
        mpq_sub(out, v, q);
    mpq_clear(q);
    return true;
}

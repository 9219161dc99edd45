/* Tasks: vocabularies, labels and example drawing (see task.h). */
#include "generators/task.h"
#include "automata/families.h"

#include <math.h>
#include <string.h>

typedef enum { KIND_WALK, KIND_FLIPFLOP, KIND_ARITH, KIND_BRACKETS, KIND_MEMBER } Kind;

struct LkTask {
    char *name;
    Kind kind;
    LkAlphabet *vocab;
    GPtrArray *label_names;
    LkDfa *dfa;           /* walk: the label oracle; member: the language */
    int32_t *state_label; /* walk: label of each DFA state */
    uint8_t *delta8;      /* walk with <= 256 states: the table in bytes (fits in L1) */
    uint32_t pad, identity;
    double p_write, p_read; /* flipflop: cumulative thresholds */
    uint32_t m;             /* arith modulus */
    LkCountTable *table[2]; /* member: rejected (0) and accepted (1) words */
    double *log_count[2];   /* member: per length */
    uint32_t max_len;
    char *params; /* JSON object */
};

static const LkTaskInfo TASKS[] = {
    {"parity", "--labels", "tokens 0 1; label = number of 1s mod 2"},
    {"mod:M", "--labels, --pad K", "tokens 0 1; label = number of 1s mod M"},
    {"cycle:M", "--labels", "tokens - 0 +; label = position on a cycle of length M (default 5)"},
    {"evenpairs", "--labels", "tokens a b; label 1 when #ab + #ba is even"},
    {"Z:M, S:N, A:N, D:N", "/all /swaps /swaps3 /gens, --pad K, products G1xG2 (A:4xZ:5)",
     "group word problems; label = prefix product"},
    {"flipflop", "--p-write --p-read --p-ignore (0.1 0.1 0.8)",
     "tokens w0 w1 r i; label = last written bit, counted at reads"},
    {"arith", "--modulus M (5)", "x op x ... x = with + - *, * first; label = value mod M"},
    {"arith-brackets", "--modulus M (5)", "the same with nested brackets"},
    {"member", "REGEX or --load/--family/--cascade, alphabet options",
     "membership, balanced accepted/rejected, uniform within class and length"},
};

const LkTaskInfo *lk_tasks(size_t *count)
{
    *count = G_N_ELEMENTS(TASKS);
    return TASKS;
}

void lk_task_free(LkTask *t)
{
    if (!t) return;
    g_free(t->name);
    lk_alphabet_unref(t->vocab);
    if (t->label_names) g_ptr_array_unref(t->label_names);
    lk_dfa_free(t->dfa);
    g_free(t->state_label);
    g_free(t->delta8);
    for (int c = 0; c < 2; c++) {
        lk_count_table_free(t->table[c]);
        g_free(t->log_count[c]);
    }
    g_free(t->params);
    g_free(t);
}

const char *lk_task_name(const LkTask *t)
{
    g_return_val_if_fail(t != NULL, NULL);
    return t->name;
}
const LkAlphabet *lk_task_vocabulary(const LkTask *t)
{
    g_return_val_if_fail(t != NULL, NULL);
    return t->vocab;
}
uint32_t lk_task_n_labels(const LkTask *t)
{
    g_return_val_if_fail(t != NULL, 0);
    return t->label_names->len;
}
const char *lk_task_label_name(const LkTask *t, uint32_t l)
{
    g_return_val_if_fail(t != NULL, NULL);
    return t->label_names->pdata[l];
}
bool lk_task_masked(const LkTask *t)
{
    g_return_val_if_fail(t != NULL, false);
    return t->kind == KIND_FLIPFLOP || t->kind == KIND_ARITH || t->kind == KIND_BRACKETS;
}
uint32_t lk_task_classes(const LkTask *t)
{
    g_return_val_if_fail(t != NULL, 0);
    return t->kind == KIND_MEMBER ? 2 : 1;
}
const int32_t *lk_task_state_labels(const LkTask *t, uint32_t *n_states)
{
    g_return_val_if_fail(t != NULL, NULL);
    static const int32_t bit[2] = {0, 1}; /* flipflop: states 0 and 1 are the last written bit */
    if (t->kind == KIND_FLIPFLOP) {
        *n_states = 2;
        return bit;
    }
    if (t->kind != KIND_WALK || !t->state_label || strchr(t->name, 'x')) return NULL;
    *n_states = t->dfa->n;
    return t->state_label;
}
char *lk_task_parameters_json(const LkTask *t)
{
    g_return_val_if_fail(t != NULL, NULL);
    return g_strdup(t->params);
}

static void add_names(LkTask *t, uint32_t n, const char *const *names)
{
    t->label_names = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t i = 0; i < n; i++)
        g_ptr_array_add(t->label_names, names ? g_strdup(names[i]) : g_strdup_printf("%u", i));
}

/* Walk labels by breadth-first search: label(delta(q, a)) = step(label(q), a). */
static void walk_labels(LkTask *t, int32_t (*step)(const LkTask *, int32_t, uint32_t))
{
    const LkDfa *d = t->dfa;
    t->state_label = g_new(int32_t, d->n);
    uint8_t *seen = g_new0(uint8_t, d->n);
    uint32_t *queue = g_new(uint32_t, d->n), head = 0, tail = 0;
    t->state_label[d->start] = 0;
    seen[d->start] = 1;
    queue[tail++] = d->start;
    while (head < tail) {
        uint32_t q = queue[head++];
        for (uint32_t a = 0; a < d->k; a++) {
            uint32_t r = d->delta[(size_t)q * d->k + a];
            if (seen[r]) continue;
            seen[r] = 1;
            t->state_label[r] = step(t, t->state_label[q], a);
            queue[tail++] = r;
        }
    }
    g_free(seen);
    g_free(queue);
}

static int32_t count_step(const LkTask *t, int32_t l, uint32_t a)
{
    return (int32_t)((l + (strcmp(lk_alphabet_name(t->vocab, a), "1") == 0)) % t->m);
}

static int32_t cycle_step(const LkTask *t, int32_t l, uint32_t a)
{
    const char *s = lk_alphabet_name(t->vocab, a);
    int32_t d = s[0] == '+' ? 1 : s[0] == '-' ? (int32_t)t->m - 1 : 0;
    return (l + d) % (int32_t)t->m;
}

/* Group labels: the state itself, named as lk_family_element_names does. */
static bool group_names(LkTask *t, const char *spec, GError **error)
{
    char **names = lk_family_element_names(spec, t->dfa, error);
    if (!names) return false;
    t->state_label = g_new(int32_t, t->dfa->n);
    t->label_names = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t q = 0; q < t->dfa->n; q++) {
        t->state_label[q] = (int32_t)q;
        g_ptr_array_add(t->label_names, names[q]);
    }
    g_free(names); /* the strings now belong to label_names */
    return true;
}

/* Direct product of group tasks: states (q1, q2) numbered q1 * n2 + q2,
 * tokens (a, b) named "a|b" numbered a * k2 + b. */
static LkTask *product(LkTask *x, LkTask *y)
{
    const LkDfa *d = x->dfa, *e = y->dfa;
    const uint32_t k = d->k * e->k, n = d->n * e->n;
    char **names = g_new0(char *, k + 1);
    for (uint32_t a = 0; a < d->k; a++)
        for (uint32_t b = 0; b < e->k; b++)
            names[a * e->k + b] = g_strconcat(lk_alphabet_name(d->alphabet, a), "|",
                                              lk_alphabet_name(e->alphabet, b), NULL);
    LkTask *t = g_new0(LkTask, 1);
    t->kind = KIND_WALK;
    t->vocab = lk_alphabet_new((const char *const *)names, k, NULL);
    g_strfreev(names);
    t->dfa = lk_dfa_new(t->vocab, n, d->start * e->n + e->start);
    t->state_label = g_new(int32_t, n);
    t->label_names = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t p = 0; p < d->n; p++)
        for (uint32_t q = 0; q < e->n; q++) {
            const uint32_t s = p * e->n + q;
            t->dfa->accept[s] = d->accept[p] && e->accept[q];
            t->state_label[s] = x->state_label[p] * (int32_t)e->n + y->state_label[q];
            for (uint32_t a = 0; a < d->k; a++)
                for (uint32_t b = 0; b < e->k; b++)
                    t->dfa->delta[(size_t)s * k + a * e->k + b] =
                        d->delta[(size_t)p * d->k + a] * e->n + e->delta[(size_t)q * e->k + b];
        }
    for (uint32_t l = 0; l < n; l++)
        g_ptr_array_add(t->label_names, g_strconcat((char *)x->label_names->pdata[l / e->n], "|",
                                                    (char *)y->label_names->pdata[l % e->n], NULL));
    return t;
}

/* Fails lk_task_new: the error, then t freed. */
#define fail(t, error, ...)                                                                        \
    (lk_error_set(error, LK_ERROR_INPUT, "task", __VA_ARGS__), lk_task_free(t), (LkTask *)NULL)

static bool is_group_spec(const char *s)
{
    return (s[0] == 'Z' || s[0] == 'S' || s[0] == 'A' || s[0] == 'D') && s[1] == ':';
}

/* A walk task from a family DFA (group, counting, cycle, evenpairs). */
static LkTask *walk_task(const char *spec, const LkTaskOptions *opt, GError **error)
{
    const bool group = is_group_spec(spec);
    if (!group && strcmp(spec, "parity") && strncmp(spec, "mod:", 4) && strcmp(spec, "evenpairs") &&
        strcmp(spec, "cycle") && strncmp(spec, "cycle:", 6))
        return fail(NULL, error, "unknown task '%s' (see 'lrnnkit gen --list')", spec);
    LkTask *t = g_new0(LkTask, 1);
    t->kind = KIND_WALK;
    if (!strcmp(spec, "parity")) spec = "mod:2";
    LkDfa *raw = lk_family_dfa(spec, &opt->limits, error);
    if (!raw) {
        lk_task_free(t);
        return NULL;
    }
    t->dfa = lk_dfa_minimize(raw);
    lk_dfa_free(raw);
    t->vocab = lk_alphabet_ref(t->dfa->alphabet);
    if (group) {
        if (!group_names(t, spec, error)) {
            lk_task_free(t);
            return NULL;
        }
    } else if (!strncmp(spec, "mod:", 4)) {
        t->m = t->dfa->n;
        walk_labels(t, count_step);
        add_names(t, t->m, NULL);
    } else if (!strncmp(spec, "cycle", 5)) {
        t->m = t->dfa->n;
        walk_labels(t, cycle_step);
        add_names(t, t->m, NULL);
    } else if (!strcmp(spec, "evenpairs")) {
        t->state_label = g_new(int32_t, t->dfa->n);
        for (uint32_t q = 0; q < t->dfa->n; q++) t->state_label[q] = t->dfa->accept[q] != 0;
        static const char *names[] = {"odd", "even"};
        add_names(t, 2, names);
    }
    return t;
}

/* The identity token of a walk task: a letter fixing every state. */
static bool find_identity(LkTask *t)
{
    for (uint32_t a = 0; a < t->dfa->k; a++) {
        bool id = true;
        for (uint32_t q = 0; q < t->dfa->n && id; q++)
            id = t->dfa->delta[(size_t)q * t->dfa->k + a] == q;
        if (id) {
            t->identity = a;
            return true;
        }
    }
    return false;
}

static LkTask *member_task(const LkTaskOptions *opt, GError **error)
{
    if (!opt->dfa) return fail(NULL, error, "member needs a language (REGEX, --load, --family)");
    LkTask *t = g_new0(LkTask, 1);
    t->kind = KIND_MEMBER;
    t->dfa = lk_dfa_copy(opt->dfa);
    t->vocab = lk_alphabet_ref(t->dfa->alphabet);
    static const char *names[] = {"rejected", "accepted"};
    add_names(t, 2, names);
    t->max_len = opt->max_len;
    if ((uint64_t)(t->max_len + 1) * t->dfa->n > 50000000) { /* exact counts per state and length */
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "task: member needs count tables of %u states x %u lengths, over 5e7 entries",
                    t->dfa->n, t->max_len + 1);
        lk_task_free(t);
        return NULL;
    }
    g_autoptr(LkDfa) co = lk_dfa_complement(t->dfa);
    t->table[0] = lk_count_table_new(co, t->max_len);
    t->table[1] = lk_count_table_new(t->dfa, t->max_len);
    mpz_t c;
    mpz_init(c);
    for (int cls = 0; cls < 2; cls++) {
        t->log_count[cls] = g_new(double, t->max_len + 1);
        for (uint32_t len = 0; len <= t->max_len; len++) {
            lk_count_table_get(t->table[cls], len, c);
            long e;
            double m = mpz_get_d_2exp(&e, c);
            t->log_count[cls][len] = mpz_sgn(c) ? log(m) + (double)e * M_LN2 : -INFINITY;
        }
    }
    mpz_clear(c);
    return t;
}

LkTask *lk_task_new(const char *spec, const LkTaskOptions *opt, GError **error)
{
    g_return_val_if_fail(spec != NULL, NULL);
    LkTaskOptions o = opt ? *opt : (LkTaskOptions){0};
    if (!o.pad) o.pad = 1;
    if (!o.modulus) o.modulus = 5;
    LkTask *t = NULL;
    if (!strcmp(spec, "flipflop")) {
        t = g_new0(LkTask, 1);
        t->kind = KIND_FLIPFLOP;
        double w = o.p_write, r = o.p_read, i = o.p_ignore;
        if (w == 0 && r == 0 && i == 0) w = 0.1, r = 0.1, i = 0.8;
        if (w < 0 || r < 0 || i < 0 || fabs(w + r + i - 1) > 1e-9)
            return fail(t, error, "flipflop probabilities must be >= 0 and sum to 1");
        t->p_write = w / (w + r + i);
        t->p_read = (w + r) / (w + r + i);
        t->vocab = lk_alphabet_new_list("w0,w1,r,i", NULL);
        add_names(t, 2, NULL);
        t->params = g_strdup_printf("{\"p_write\": %.17g, \"p_read\": %.17g, \"p_ignore\": %.17g}",
                                    w / (w + r + i), r / (w + r + i), i / (w + r + i));
    } else if (!strcmp(spec, "arith") || !strcmp(spec, "arith-brackets")) {
        if (o.modulus < 2 || o.modulus > 1000)
            return fail(NULL, error, "--modulus must be 2..1000");
        t = g_new0(LkTask, 1);
        t->kind = strcmp(spec, "arith") ? KIND_BRACKETS : KIND_ARITH;
        t->m = o.modulus;
        GString *v = g_string_new(NULL);
        for (uint32_t d = 0; d < t->m; d++) g_string_append_printf(v, "%u,", d);
        g_string_append(v, t->kind == KIND_BRACKETS ? "+,-,*,=,(,)" : "+,-,*,=");
        t->vocab = lk_alphabet_new_list(v->str, NULL);
        g_string_free(v, TRUE);
        add_names(t, t->m, NULL);
        t->params = g_strdup_printf("{\"modulus\": %u}", t->m);
    } else if (!strcmp(spec, "member")) {
        if (!(t = member_task(&o, error))) return NULL;
        GString *p = g_string_new("{\"language\": ");
        lk_json_append_string(p, o.source ? o.source : "");
        g_string_append_printf(p, ", \"dfa_states\": %u}", t->dfa->n);
        t->params = g_string_free(p, FALSE);
    } else if (is_group_spec(spec) && strchr(spec, 'x')) { /* a direct product */
        g_auto(GStrv) parts = g_strsplit(spec, "x", -1);
        for (char **p = parts; *p; p++) {
            LkTask *f = is_group_spec(*p) ? walk_task(*p, &o, error)
                                          : fail(NULL, error, "'%s' is not a group", *p);
            if (!f) {
                lk_task_free(t);
                return NULL;
            }
            if (!t) {
                t = f;
                continue;
            }
            LkTask *prod = product(t, f);
            lk_task_free(t);
            lk_task_free(f);
            t = prod;
            if ((uint64_t)t->dfa->n >
                (o.limits.max_states ? o.limits.max_states : LK_DEFAULT_MAX_STATES)) {
                lk_task_free(t);
                g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                            "task: the product has more than --max-states elements");
                return NULL;
            }
        }
    } else {
        if (!(t = walk_task(spec, &o, error))) return NULL;
    }
    t->name = g_strdup(spec);
    if (t->kind == KIND_WALK) {
        if (t->dfa->n <= 256) {
            const size_t cells = (size_t)t->dfa->n * t->dfa->k;
            t->delta8 = g_new(uint8_t, cells + 1);
            for (size_t i = 0; i < cells; i++) t->delta8[i] = (uint8_t)t->dfa->delta[i];
        }
        t->pad = o.pad;
        if (t->pad > 1 && !find_identity(t))
            return fail(t, error, "--pad needs an identity token, and '%s' has none", spec);
        if (!t->params)
            t->params = t->pad > 1 ? g_strdup_printf("{\"pad\": %u, \"identity_token\": %u}",
                                                     t->pad, t->identity)
                                   : g_strdup("{}");
    } else if (o.pad > 1) {
        return fail(t, error, "--pad applies to group and counting tasks only");
    }
    return t;
}

double lk_task_log_count(const LkTask *t, uint32_t cls, uint32_t len)
{
    g_return_val_if_fail(t != NULL, 0.0);
    if (len == 0) return -INFINITY;
    const double k = lk_alphabet_size(t->vocab);
    switch (t->kind) {
    case KIND_WALK:
        return len % t->pad ? -INFINITY : (double)(len / t->pad) * log(k);
    case KIND_FLIPFLOP: /* a write, then any instruction */
        return log(2) + (double)(len - 1) * log(4);
    case KIND_ARITH: /* x (op x)^j = : len = 2j + 2 */
        return len % 2 ? -INFINITY : (double)(len / 2) * log(t->m) + (double)(len / 2 - 1) * log(3);
    case KIND_BRACKETS:
        return len % 2 ? -INFINITY : 0;
    case KIND_MEMBER:
        return len <= t->max_len ? t->log_count[cls][len] : -INFINITY;
    }
    return -INFINITY;
}

/* Random expression of odd length e into tok (ids: digits, then + - * = ( )). */
static uint32_t gen_expr(const LkTask *t, LkRng *rng, uint32_t e, int32_t *tok)
{
    const int32_t plus = (int32_t)t->m, open = plus + 4, close = plus + 5;
    if (e == 1) {
        tok[0] = (int32_t)lk_rng_below(rng, t->m);
        return 1;
    }
    if (lk_rng_below(rng, 4) == 0) { /* ( E ) */
        tok[0] = open;
        gen_expr(t, rng, e - 2, tok + 1);
        tok[e - 1] = close;
        return e;
    }
    uint32_t a = 2 * (uint32_t)lk_rng_below(rng, (e - 1) / 2) + 1; /* odd, 1..e-2 */
    gen_expr(t, rng, a, tok);
    tok[a] = plus + (int32_t)lk_rng_below(rng, 3);
    gen_expr(t, rng, e - 1 - a, tok + a + 1);
    return e;
}

/* Labels of an arithmetic input, evaluated left to right with one frame per
 * open bracket: value = total + sign * term; '*' extends the term. */
static void arith_labels(const LkTask *t, const int32_t *tok, uint32_t len, int32_t *labels,
                         uint8_t *mask)
{
    typedef struct {
        int64_t total, term;
        int sign;
        bool mul;
    } Frame;
    const int64_t m = t->m;
    const int32_t plus = (int32_t)t->m;
    Frame st[256], *f = st;
    Frame *heap = len / 2 + 2 > 256 ? g_new(Frame, len / 2 + 2) : NULL;
    if (heap) f = heap;
    Frame *base = f;
    *f = (Frame){0, 0, 1, false};
    for (uint32_t i = 0; i < len; i++) {
        int32_t x = tok[i];
        bool complete = false;
        if (x < plus || x == plus + 5) { /* an operand: a digit or a closed bracket */
            int64_t v = x;
            if (x == plus + 5) {
                v = ((f->total + f->sign * f->term) % m + m) % m;
                f--;
            }
            f->term = f->mul ? f->term * v % m : v;
            f->mul = false;
            complete = f == base;
        } else if (x == plus || x == plus + 1) {
            f->total = ((f->total + f->sign * f->term) % m + m) % m;
            f->sign = x == plus ? 1 : -1;
            f->term = 0;
        } else if (x == plus + 2) {
            f->mul = true;
        } else if (x == plus + 4) {
            f++;
            *f = (Frame){0, 0, 1, false};
        } else { /* '=' */
            complete = true;
        }
        labels[i] = (int32_t)(((base->total + base->sign * base->term) % m + m) % m);
        mask[i] = complete;
    }
    g_free(heap);
}

void lk_task_draw(const LkTask *t, LkRng *rng, uint32_t cls, uint32_t len, int32_t *tokens,
                  int32_t *labels, uint8_t *mask)
{
    g_return_if_fail(t != NULL);
    switch (t->kind) {
    case KIND_WALK: {
        const LkDfa *d = t->dfa;
        const uint32_t k = d->k, *delta = d->delta;
        const uint8_t *delta8 = t->delta8;
        const int32_t *label = t->state_label;
        uint32_t q = d->start;
#define STEP(a) (q = delta8 ? delta8[(size_t)q * k + (a)] : delta[(size_t)q * k + (a)])
        if (t->pad == 1 && (k & (k - 1)) == 0 && k <= 65536) {
            /* k = 2^b: b bits of each 64-bit output per token, low bits first */
            const uint32_t b = (uint32_t)__builtin_ctz(k | 0x10000u) & 31, per = b ? 64 / b : len;
            for (uint32_t i = 0; i < len; i += per) {
                uint64_t x = b ? lk_rng_next(rng) : 0;
                for (uint32_t j = i; j < MIN(len, i + per); j++, x >>= b) {
                    const uint32_t a = (uint32_t)(x & (k - 1));
                    STEP(a);
                    tokens[j] = (int32_t)a;
                    labels[j] = label[q];
                }
            }
        } else if (t->pad == 1 && k <= 65536) {
            /* two tokens per 64-bit output: Lemire's multiply-and-reject on
             * each 32-bit half (exactly uniform) */
            const uint32_t reject = (uint32_t)(-k) % k; /* 2^32 mod k */
            uint32_t i = 0;
            while (i < len) {
                uint64_t x = lk_rng_next(rng);
                for (int half = 0; half < 2 && i < len; half++, x >>= 32) {
                    const uint64_t m = (uint64_t)(uint32_t)x * k;
                    if ((uint32_t)m < reject) continue; /* rare: draw again */
                    const uint32_t a = (uint32_t)(m >> 32);
                    STEP(a);
                    tokens[i] = (int32_t)a;
                    labels[i++] = label[q];
                }
            }
        } else {
            for (uint32_t i = 0; i < len; i++) {
                uint32_t a = i % t->pad ? t->identity : (uint32_t)lk_rng_below(rng, k);
                STEP(a);
                tokens[i] = (int32_t)a;
                labels[i] = label[q];
            }
        }
#undef STEP
        memset(mask, 1, len);
        break;
    }
    case KIND_FLIPFLOP: {
        int32_t bit = 0;
        for (uint32_t i = 0; i < len; i++) {
            double u = i == 0 ? 0 : lk_rng_double(rng);
            if (i == 0 || u < t->p_write) {
                bit = (int32_t)lk_rng_below(rng, 2);
                tokens[i] = bit; /* w0 = 0, w1 = 1 */
            } else {
                tokens[i] = u < t->p_read ? 2 : 3;
            }
            labels[i] = bit;
            mask[i] = tokens[i] == 2;
        }
        break;
    }
    case KIND_ARITH:
        for (uint32_t i = 0; i + 1 < len; i++)
            tokens[i] = i % 2 ? (int32_t)t->m + (int32_t)lk_rng_below(rng, 3)
                              : (int32_t)lk_rng_below(rng, t->m);
        tokens[len - 1] = (int32_t)t->m + 3;
        arith_labels(t, tokens, len, labels, mask);
        break;
    case KIND_BRACKETS:
        gen_expr(t, rng, len - 1, tokens);
        tokens[len - 1] = (int32_t)t->m + 3;
        arith_labels(t, tokens, len, labels, mask);
        break;
    case KIND_MEMBER: {
        GArray *w = g_array_sized_new(FALSE, FALSE, sizeof(uint32_t), len);
        if (!lk_count_table_sample(t->table[cls], rng, len, w)) { /* misuse: no such word */
            g_critical("lk_task_draw: no %s word of length %u", cls ? "accepted" : "rejected", len);
            g_array_set_size(w, len); /* zeros */
            memset(w->data, 0, sizeof(uint32_t) * len);
        }
        uint32_t q = t->dfa->start;
        for (uint32_t i = 0; i < len; i++) {
            uint32_t a = g_array_index(w, uint32_t, i);
            q = t->dfa->delta[(size_t)q * t->dfa->k + a];
            tokens[i] = (int32_t)a;
            labels[i] = t->dfa->accept[q] != 0;
        }
        memset(mask, 1, len);
        g_array_unref(w);
        break;
    }
    }
}

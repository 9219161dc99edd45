/* Regex parser (recursive descent) and binding of symbols to an alphabet.
 *
 * Grammar, loosest first:
 *   alt     := and ('|' and)*
 *   and     := cat ('&' cat)*
 *   cat     := unary+
 *   unary   := '~' unary | postfix
 *   postfix := atom ('*' | '+' | '?' | '{' m [',' [n]] '}')*
 *   atom    := char | '\' char | '<' name '>' | '.' | '[' class ']' | '(' ')' | '(' alt ')'
 * Every error names the 1-based character column where it was found.
 */
#include "automata/regex-private.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REPEAT 100000u
#define MAX_RANGE 65536u
#define MAX_DEPTH 2000u

typedef struct {
    LkRegex *re;
    const char *p; /* next character */
    uint32_t col;  /* its column */
    uint32_t depth;
    GError **error;
    bool derive;            /* no alphabet given: collect symbols */
    uint32_t ascii_id[128]; /* id + 1 of interned one-character names */
    GPtrArray *stack;       /* kids of the lists being parsed, innermost last */
} Parser;

static const char SPECIALS[] = "\\.[]()|*+?{}<>&~";

static bool is_special(gunichar c)
{
    return c < 128 && c && strchr(SPECIALS, (int)c) != NULL;
}

static inline gunichar peek(const Parser *ps)
{
    unsigned char c = (unsigned char)*ps->p;
    return c < 0x80 ? c : g_utf8_get_char(ps->p);
}

static inline void advance(Parser *ps)
{
    if (*ps->p) {
        ps->p = g_utf8_next_char(ps->p);
        ps->col++;
    }
}

static bool fail_at(Parser *ps, uint32_t col, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool fail_at(Parser *ps, uint32_t col, const char *fmt, ...)
{
    if (ps->error && *ps->error) return false; /* keep the first error */
    g_autofree char *where = g_strdup_printf("regex column %u", col);
    va_list ap;
    va_start(ap, fmt);
    lk_error_setv(ps->error, LK_ERROR_INPUT, where, fmt, ap);
    va_end(ap);
    if (ps->error) lk_error_set_location(*ps->error, 1, col);
    return false;
}

/* Node blocks grow geometrically, so a short regex touches one small block:
 * block b holds block_nodes(b) nodes. */
static uint32_t block_nodes(unsigned b)
{
    return b < 6 ? 32u << b : 2048u;
}

static RxNode *node_new(Parser *ps, RxKind kind, uint32_t col)
{
    LkRegex *re = ps->re;
    if (re->blocks->len == 0 || re->used == block_nodes(re->blocks->len - 1)) {
        g_ptr_array_add(re->blocks, g_new(RxNode, block_nodes(re->blocks->len)));
        re->used = 0;
    }
    RxNode *n = (RxNode *)re->blocks->pdata[re->blocks->len - 1] + re->used++;
    *n = (RxNode){0}; /* zeroed here, not by calloc: only touched nodes cost a page */
    n->kind = kind;
    n->col = col;
    return n;
}

enum { KID_BLOCK_FIRST = 128, KID_BLOCK = 4096 };

/* Room for count kid pointers in the regex's kid blocks (freed with it). */
static RxNode **kids_alloc(LkRegex *re, size_t count)
{
    if (count > KID_BLOCK / 4) { /* a long list gets a block of its own */
        RxNode **own = g_new(RxNode *, count);
        g_ptr_array_insert(re->kid_blocks, (gint)re->kid_blocks->len - (re->kid_blocks->len > 0),
                           own);
        return own;
    }
    if (!re->kid_blocks->len || re->kid_used + count > re->kid_cap) {
        /* blocks double from KID_BLOCK_FIRST, so a short regex touches little */
        re->kid_cap = re->kid_cap ? MIN(2 * re->kid_cap, (size_t)KID_BLOCK) : KID_BLOCK_FIRST;
        while (re->kid_cap < count) re->kid_cap *= 2;
        g_ptr_array_add(re->kid_blocks, g_new(RxNode *, re->kid_cap));
        re->kid_used = 0;
    }
    RxNode **at = (RxNode **)re->kid_blocks->pdata[re->kid_blocks->len - 1] + re->kid_used;
    re->kid_used += count;
    return at;
}

/* The kids pushed on ps->stack since `base` become n's kids. */
static void node_take_kids(Parser *ps, RxNode *n, guint base)
{
    n->n_kids = ps->stack->len - base;
    n->kids = kids_alloc(ps->re, n->n_kids);
    memcpy(n->kids, ps->stack->pdata + base, sizeof(RxNode *) * n->n_kids);
    g_ptr_array_set_size(ps->stack, base);
}

static RxNode *unary1(Parser *ps, RxKind kind, RxNode *kid, uint32_t col)
{
    RxNode *n = node_new(ps, kind, col);
    n->n_kids = 1;
    n->kids = kids_alloc(ps->re, 1);
    n->kids[0] = kid;
    return n;
}

static RxNode *parse_alt(Parser *ps);

/* The interned copy of s; *id_out (if not NULL) gets its index in re->names. */
static const char *intern_id(Parser *ps, const char *s, uint32_t *id_out)
{
    LkRegex *re = ps->re;
    gpointer v = g_hash_table_lookup(re->name_ids, s);
    uint32_t id;
    if (v) {
        id = GPOINTER_TO_UINT(v) - 1;
    } else {
        const char *in = g_string_chunk_insert(re->strings, s);
        id = re->names->len;
        g_ptr_array_add(re->names, (gpointer)in);
        g_hash_table_insert(re->name_ids, (gpointer)in, GUINT_TO_POINTER(id + 1));
    }
    if (id_out) *id_out = id;
    return re->names->pdata[id];
}

static const char *intern(Parser *ps, const char *s)
{
    return intern_id(ps, s, NULL);
}

static const char *intern_char_id(Parser *ps, gunichar c, uint32_t *id_out)
{
    if (c < 128 && ps->ascii_id[c]) { /* fast path: no hashing */
        if (id_out) *id_out = ps->ascii_id[c] - 1;
        return ps->re->names->pdata[ps->ascii_id[c] - 1];
    }
    char buf[8];
    buf[g_unichar_to_utf8(c, buf)] = 0;
    uint32_t id;
    const char *in = intern_id(ps, buf, &id);
    if (c < 128) ps->ascii_id[c] = id + 1;
    if (id_out) *id_out = id;
    return in;
}

static const char *intern_char(Parser *ps, gunichar c)
{
    return intern_char_id(ps, c, NULL);
}

/* A class (or `.`): members are added to names / ranges. */
static RxNode *class_node(Parser *ps, uint32_t col)
{
    RxNode *n = node_new(ps, RX_SET, col);
    n->cls = g_new(RxClass, 1);
    n->cls->names = g_ptr_array_new();
    n->cls->ranges = g_array_new(FALSE, FALSE, sizeof(gunichar));
    return n;
}

static RxNode *symbol_node(Parser *ps, uint32_t col, const char *name)
{
    RxNode *n = node_new(ps, RX_SET, col);
    intern_id(ps, name, &n->name_id);
    n->named = true;
    return n;
}

static RxNode *char_node(Parser *ps, uint32_t col, gunichar c)
{
    RxNode *n = node_new(ps, RX_SET, col);
    intern_char_id(ps, c, &n->name_id);
    n->named = true;
    return n;
}

/* '<' name '>' with ps->p at '<'; returns the interned name. */
static const char *parse_angle(Parser *ps)
{
    uint32_t col = ps->col;
    advance(ps);
    const char *start = ps->p;
    while (*ps->p && peek(ps) != '>' && peek(ps) != '<') advance(ps);
    if (peek(ps) != '>') {
        fail_at(ps, col, "'<' without a closing '>'");
        return NULL;
    }
    if (ps->p == start) {
        fail_at(ps, col, "empty symbol name '<>'");
        return NULL;
    }
    char *name = g_strndup(start, (gsize)(ps->p - start));
    const char *in = intern(ps, name);
    g_free(name);
    advance(ps);
    return in;
}

/* One class member character (escape allowed); 0 on error. */
static bool class_char(Parser *ps, gunichar *out)
{
    gunichar c = peek(ps);
    if (c == '\\') {
        advance(ps);
        if (!*ps->p) return fail_at(ps, ps->col, "'\\' at the end of the regex");
        c = peek(ps);
    }
    *out = c;
    advance(ps);
    return true;
}

static RxNode *parse_class(Parser *ps)
{
    uint32_t col = ps->col;
    advance(ps); /* '[' */
    RxNode *n = class_node(ps, col);
    if (peek(ps) == '^') {
        n->negated = true;
        advance(ps);
    }
    while (peek(ps) != ']') {
        if (!*ps->p) {
            fail_at(ps, col, "'[' without a closing ']'");
            return NULL;
        }
        if (peek(ps) == '<') {
            const char *name = parse_angle(ps);
            if (!name) return NULL;
            g_ptr_array_add(n->cls->names, (gpointer)name);
            continue;
        }
        uint32_t ccol = ps->col;
        gunichar lo, hi;
        if (!class_char(ps, &lo)) return NULL;
        if (peek(ps) == '-' && ps->p[1] && ps->p[1] != ']') {
            advance(ps);
            if (peek(ps) == '<') {
                fail_at(ps, ps->col, "a range ends in a single character, not a <name>");
                return NULL;
            }
            if (!class_char(ps, &hi)) return NULL;
            if (hi < lo) {
                fail_at(ps, ccol, "range out of order");
                return NULL;
            }
            if (hi - lo >= MAX_RANGE) {
                fail_at(ps, ccol, "range of more than %u characters", MAX_RANGE);
                return NULL;
            }
            g_array_append_val(n->cls->ranges, lo);
            g_array_append_val(n->cls->ranges, hi);
            if (ps->derive) /* the range's characters join the alphabet */
                for (gunichar c = lo; c <= hi; c++) intern_char(ps, c);
        } else {
            g_ptr_array_add(n->cls->names, (gpointer)intern_char(ps, lo));
        }
    }
    advance(ps); /* ']' */
    return n;
}

static RxNode *parse_atom(Parser *ps)
{
    uint32_t col = ps->col;
    gunichar c = peek(ps);
    switch (c) {
    case 0:
        fail_at(ps, col, "unexpected end of the regex");
        return NULL;
    case '(': {
        advance(ps);
        if (peek(ps) == ')') {
            advance(ps);
            return node_new(ps, RX_EPS, col);
        }
        RxNode *inner = parse_alt(ps);
        if (!inner) return NULL;
        if (peek(ps) != ')') {
            fail_at(ps, col, "'(' without a closing ')'");
            return NULL;
        }
        advance(ps);
        return inner;
    }
    case '[':
        return parse_class(ps);
    case '.': {
        advance(ps);
        RxNode *n = class_node(ps, col);
        n->any = true;
        return n;
    }
    case '<': {
        const char *name = parse_angle(ps);
        return name ? symbol_node(ps, col, name) : NULL;
    }
    case '\\': {
        advance(ps);
        if (!*ps->p) {
            fail_at(ps, col, "'\\' at the end of the regex");
            return NULL;
        }
        RxNode *n = char_node(ps, col, peek(ps));
        advance(ps);
        return n;
    }
    case ')':
        fail_at(ps, col, "')' without a matching '('");
        return NULL;
    case '|':
        fail_at(ps, col, "empty alternative before '|' (write () for the empty word)");
        return NULL;
    case '&':
        fail_at(ps, col, "empty operand before '&'");
        return NULL;
    case '*':
    case '+':
    case '?':
    case '{':
        fail_at(ps, col, "'%c' has nothing to repeat", (char)c);
        return NULL;
    default:
        if (is_special(c)) {
            fail_at(ps, col, "unexpected '%c' (escape it as \\%c)", (char)c, (char)c);
            return NULL;
        }
        advance(ps);
        return char_node(ps, col, c);
    }
}

static bool parse_number(Parser *ps, uint32_t *out)
{
    uint32_t col = ps->col;
    if (!g_ascii_isdigit(*ps->p)) return fail_at(ps, col, "expected a number");
    uint64_t v = 0;
    while (g_ascii_isdigit(*ps->p)) {
        v = v * 10 + (uint64_t)(*ps->p - '0');
        if (v > MAX_REPEAT) return fail_at(ps, col, "repetition count above %u", MAX_REPEAT);
        advance(ps);
    }
    *out = (uint32_t)v;
    return true;
}

static RxNode *parse_postfix(Parser *ps)
{
    RxNode *n = parse_atom(ps);
    while (n) {
        uint32_t col = ps->col;
        gunichar c = peek(ps);
        if (c == '*' || c == '+' || c == '?') {
            advance(ps);
            n = unary1(ps, c == '*' ? RX_STAR : c == '+' ? RX_PLUS : RX_OPT, n, col);
        } else if (c == '{') {
            advance(ps);
            uint32_t lo, hi;
            if (!parse_number(ps, &lo)) return NULL;
            hi = lo;
            if (*ps->p == ',') {
                advance(ps);
                hi = RX_UNBOUNDED;
                if (*ps->p != '}' && !parse_number(ps, &hi)) return NULL;
            }
            if (*ps->p != '}') {
                fail_at(ps, col, "'{' without a closing '}'");
                return NULL;
            }
            advance(ps);
            if (hi < lo) {
                fail_at(ps, col, "{%u,%u}: the maximum is below the minimum", lo, hi);
                return NULL;
            }
            n = unary1(ps, RX_REPEAT, n, col);
            n->min = lo;
            n->max = hi;
        } else {
            break;
        }
    }
    return n;
}

static RxNode *parse_unary(Parser *ps)
{
    if (peek(ps) != '~') return parse_postfix(ps);
    uint32_t col = ps->col;
    advance(ps);
    if (++ps->depth > MAX_DEPTH) {
        fail_at(ps, col, "nested more than %u deep", MAX_DEPTH);
        return NULL;
    }
    RxNode *kid = parse_unary(ps);
    ps->depth--;
    return kid ? unary1(ps, RX_NOT, kid, col) : NULL;
}

static bool ends_cat(gunichar c)
{
    return c == 0 || c == '|' || c == '&' || c == ')';
}

static RxNode *parse_cat(Parser *ps)
{
    uint32_t col = ps->col;
    const guint base = ps->stack->len;
    while (!ends_cat(peek(ps))) {
        RxNode *k = parse_unary(ps);
        if (!k) return NULL;
        g_ptr_array_add(ps->stack, k);
    }
    const guint count = ps->stack->len - base;
    if (count == 0) {
        gunichar c = peek(ps);
        if (c == 0 && col == 1)
            fail_at(ps, col, "empty regex (write () for the empty word)");
        else if (c == '|' || c == 0 || c == ')')
            fail_at(ps, col, "empty alternative (write () for the empty word)");
        else
            fail_at(ps, col, "empty operand before '&'");
        return NULL;
    }
    if (count == 1) return g_ptr_array_steal_index(ps->stack, base);
    RxNode *result = node_new(ps, RX_CAT, col);
    node_take_kids(ps, result, base);
    return result;
}

static RxNode *parse_list(Parser *ps, gunichar sep, RxKind kind, RxNode *(*sub)(Parser *))
{
    uint32_t col = ps->col;
    const guint base = ps->stack->len;
    for (;;) {
        RxNode *k = sub(ps);
        if (!k) return NULL;
        g_ptr_array_add(ps->stack, k);
        if (peek(ps) != sep) break;
        advance(ps);
    }
    if (ps->stack->len - base == 1) return g_ptr_array_steal_index(ps->stack, base);
    RxNode *result = node_new(ps, kind, col);
    node_take_kids(ps, result, base);
    return result;
}

static RxNode *parse_and(Parser *ps)
{
    return parse_list(ps, '&', RX_AND, parse_cat);
}

static RxNode *parse_alt(Parser *ps)
{
    uint32_t col = ps->col;
    if (++ps->depth > MAX_DEPTH) {
        fail_at(ps, col, "nested more than %u deep", MAX_DEPTH);
        return NULL;
    }
    RxNode *n = parse_list(ps, '|', RX_ALT, parse_and);
    ps->depth--;
    return n;
}

/* ---- binding ---- */

/* The first node (pre-order) that needs an explicit alphabet, or NULL. */
static const RxNode *needs_alphabet(const RxNode *n)
{
    if (n->kind == RX_NOT || (n->kind == RX_SET && (n->any || n->negated))) return n;
    for (uint32_t i = 0; i < n->n_kids; i++) {
        const RxNode *r = needs_alphabet(n->kids[i]);
        if (r) return r;
    }
    return NULL;
}

/* sym_of[id]: the alphabet index of name id, or -1. */
static bool bind(Parser *ps, RxNode *n, const LkAlphabet *a, const int64_t *sym_of)
{
    for (uint32_t i = 0; i < n->n_kids; i++)
        if (!bind(ps, n->kids[i], a, sym_of)) return false;
    if (n->kind != RX_SET) return true;
    if (n->named) {
        int64_t s = sym_of[n->name_id];
        if (s < 0)
            return fail_at(ps, n->col, "symbol '%s' is not in the alphabet",
                           (const char *)ps->re->names->pdata[n->name_id]);
        n->sym1 = (uint32_t)s;
        n->syms = &n->sym1;
        n->n_syms = 1;
        return true;
    }
    const uint32_t k = lk_alphabet_size(a);
    uint8_t *in = g_new0(uint8_t, k + 1);
    const RxClass *cls = n->cls;
    for (guint i = 0; i < cls->names->len; i++) {
        const char *name = g_ptr_array_index(cls->names, i);
        int64_t s = lk_alphabet_index(a, name);
        if (s < 0) {
            g_free(in);
            return fail_at(ps, n->col, "symbol '%s' is not in the alphabet", name);
        }
        in[s] = 1;
    }
    for (uint32_t s = 0; s < k && cls->ranges->len; s++) {
        const char *name = lk_alphabet_name(a, s);
        if (g_utf8_strlen(name, -1) != 1) continue;
        gunichar c = g_utf8_get_char(name);
        for (guint i = 0; i < cls->ranges->len; i += 2)
            if (c >= g_array_index(cls->ranges, gunichar, i) &&
                c <= g_array_index(cls->ranges, gunichar, i + 1))
                in[s] = 1;
    }
    n->syms = g_new(uint32_t, k + 1);
    n->n_syms = 0;
    for (uint32_t s = 0; s < k; s++)
        if (n->any || (in[s] != 0) != n->negated) n->syms[n->n_syms++] = s;
    g_free(in);
    return true;
}

static void node_clear(RxNode *n)
{
    if (n->cls) {
        g_ptr_array_unref(n->cls->names);
        g_array_unref(n->cls->ranges);
        g_free(n->cls);
    }
    if (n->syms != &n->sym1) g_free(n->syms);
}

LkRegex *lk_regex_parse(const char *text, LkAlphabet *alphabet, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    if (!g_utf8_validate(text, -1, NULL)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "regex: not valid UTF-8");
        return NULL;
    }
    LkRegex *re = g_new0(LkRegex, 1);
    re->text = g_strdup(text);
    re->blocks = g_ptr_array_new();
    re->kid_blocks = g_ptr_array_new_with_free_func(g_free);
    re->strings = g_string_chunk_new(256);
    re->names = g_ptr_array_new();
    re->name_ids = g_hash_table_new(g_str_hash, g_str_equal);
    Parser ps = {.re = re, .p = re->text, .col = 1, .error = error, .derive = !alphabet};
    ps.stack = g_ptr_array_new();
    re->root = parse_alt(&ps);
    g_ptr_array_unref(ps.stack);
    if (re->root && *ps.p) {
        if (peek(&ps) == ')')
            fail_at(&ps, ps.col, "')' without a matching '('");
        else
            fail_at(&ps, ps.col, "unexpected '%s'", ps.p);
        re->root = NULL;
    }
    if (!re->root) goto fail;
    if (alphabet) {
        re->alphabet = lk_alphabet_ref(alphabet);
    } else {
        const RxNode *need = needs_alphabet(re->root);
        if (need) {
            fail_at(&ps, need->col, "'%s' needs an explicit alphabet (--alphabet or --symbols)",
                    need->kind == RX_NOT ? "~"
                    : need->any          ? "."
                                         : "[^");
            goto fail;
        }
        guint len = re->names->len;
        const char **names = g_new(const char *, len + 1);
        if (len) memcpy(names, re->names->pdata, sizeof(char *) * len);
        re->alphabet = lk_alphabet_new_sorted(names, len, error);
        g_free(names);
        if (!re->alphabet) goto fail;
    }
    int64_t *sym_of = g_new(int64_t, re->names->len + 1);
    for (guint i = 0; i < re->names->len; i++)
        sym_of[i] = lk_alphabet_index(re->alphabet, re->names->pdata[i]);
    bool bound = bind(&ps, re->root, re->alphabet, sym_of);
    g_free(sym_of);
    if (!bound) goto fail;
    return re;
fail:
    lk_regex_free(re);
    return NULL;
}

void lk_regex_free(LkRegex *re)
{
    if (!re) return;
    for (guint b = 0; b < re->blocks->len; b++) {
        RxNode *block = re->blocks->pdata[b];
        uint32_t count = b + 1 == re->blocks->len ? re->used : block_nodes(b);
        for (uint32_t i = 0; i < count; i++) node_clear(&block[i]);
        g_free(block);
    }
    g_ptr_array_unref(re->blocks);
    g_ptr_array_unref(re->kid_blocks);
    g_ptr_array_unref(re->names);
    g_hash_table_unref(re->name_ids);
    g_string_chunk_free(re->strings);
    lk_alphabet_unref(re->alphabet);
    g_free(re->text);
    g_free(re);
}

LkAlphabet *lk_regex_alphabet(const LkRegex *re)
{
    g_return_val_if_fail(re != NULL, NULL);
    return re->alphabet;
}

const char *lk_regex_text(const LkRegex *re)
{
    g_return_val_if_fail(re != NULL, NULL);
    return re->text;
}

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
} Parser;

static const char SPECIALS[] = "\\.[]()|*+?{}<>&~";

static bool is_special(gunichar c)
{
    return c < 128 && c && strchr(SPECIALS, (int)c) != NULL;
}

static gunichar peek(const Parser *ps)
{
    return *ps->p ? g_utf8_get_char(ps->p) : 0;
}

static void advance(Parser *ps)
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
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(ps->error, LK_ERROR, LK_ERROR_INPUT, "regex column %u: %s", col, msg);
    g_free(msg);
    return false;
}

static RxNode *node_new(Parser *ps, RxKind kind, uint32_t col)
{
    RxNode *n = g_new0(RxNode, 1);
    n->kind = kind;
    n->col = col;
    g_ptr_array_add(ps->re->nodes, n);
    return n;
}

static void node_set_kids(RxNode *n, GPtrArray *kids)
{
    n->n_kids = kids->len;
    n->kids = g_new(RxNode *, kids->len + 1);
    memcpy(n->kids, kids->pdata, sizeof(RxNode *) * kids->len);
}

static RxNode *unary1(Parser *ps, RxKind kind, RxNode *kid, uint32_t col)
{
    RxNode *n = node_new(ps, kind, col);
    GPtrArray *k = g_ptr_array_new();
    g_ptr_array_add(k, kid);
    node_set_kids(n, k);
    g_ptr_array_unref(k);
    return n;
}

static RxNode *parse_alt(Parser *ps);

static char *char_string(gunichar c)
{
    char buf[8];
    buf[g_unichar_to_utf8(c, buf)] = 0;
    return g_strdup(buf);
}

static RxNode *set_node(Parser *ps, uint32_t col)
{
    RxNode *n = node_new(ps, RX_SET, col);
    n->names = g_ptr_array_new_with_free_func(g_free);
    n->ranges = g_array_new(FALSE, FALSE, sizeof(gunichar));
    return n;
}

/* '<' name '>' with ps->p at '<'; returns the name. */
static char *parse_angle(Parser *ps)
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
    advance(ps);
    return name;
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
    RxNode *n = set_node(ps, col);
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
            char *name = parse_angle(ps);
            if (!name) return NULL;
            g_ptr_array_add(n->names, name);
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
            g_array_append_val(n->ranges, lo);
            g_array_append_val(n->ranges, hi);
        } else {
            g_ptr_array_add(n->names, char_string(lo));
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
    case 0: fail_at(ps, col, "unexpected end of the regex"); return NULL;
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
    case '[': return parse_class(ps);
    case '.': {
        advance(ps);
        RxNode *n = set_node(ps, col);
        n->any = true;
        return n;
    }
    case '<': {
        char *name = parse_angle(ps);
        if (!name) return NULL;
        RxNode *n = set_node(ps, col);
        g_ptr_array_add(n->names, name);
        return n;
    }
    case '\\': {
        advance(ps);
        if (!*ps->p) {
            fail_at(ps, col, "'\\' at the end of the regex");
            return NULL;
        }
        RxNode *n = set_node(ps, col);
        g_ptr_array_add(n->names, char_string(peek(ps)));
        advance(ps);
        return n;
    }
    case ')': fail_at(ps, col, "')' without a matching '('"); return NULL;
    case '|': fail_at(ps, col, "empty alternative before '|' (write () for the empty word)"); return NULL;
    case '&': fail_at(ps, col, "empty operand before '&'"); return NULL;
    case '*':
    case '+':
    case '?':
    case '{': fail_at(ps, col, "'%c' has nothing to repeat", (char)c); return NULL;
    default:
        if (is_special(c)) {
            fail_at(ps, col, "unexpected '%c' (escape it as \\%c)", (char)c, (char)c);
            return NULL;
        }
        advance(ps);
        RxNode *n = set_node(ps, col);
        g_ptr_array_add(n->names, char_string(c));
        return n;
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
    GPtrArray *kids = g_ptr_array_new();
    RxNode *result = NULL;
    while (!ends_cat(peek(ps))) {
        RxNode *k = parse_unary(ps);
        if (!k) goto out;
        g_ptr_array_add(kids, k);
    }
    if (kids->len == 0) {
        gunichar c = peek(ps);
        if (c == 0 && col == 1)
            fail_at(ps, col, "empty regex (write () for the empty word)");
        else if (c == '|' || c == 0 || c == ')')
            fail_at(ps, col, "empty alternative (write () for the empty word)");
        else
            fail_at(ps, col, "empty operand before '&'");
        goto out;
    }
    if (kids->len == 1) {
        result = kids->pdata[0];
    } else {
        result = node_new(ps, RX_CAT, col);
        node_set_kids(result, kids);
    }
out:
    g_ptr_array_unref(kids);
    return result;
}

static RxNode *parse_list(Parser *ps, gunichar sep, RxKind kind, RxNode *(*sub)(Parser *))
{
    uint32_t col = ps->col;
    GPtrArray *kids = g_ptr_array_new();
    RxNode *result = NULL;
    for (;;) {
        RxNode *k = sub(ps);
        if (!k) goto out;
        g_ptr_array_add(kids, k);
        if (peek(ps) != sep) break;
        advance(ps);
    }
    if (kids->len == 1) {
        result = kids->pdata[0];
    } else {
        result = node_new(ps, kind, col);
        node_set_kids(result, kids);
    }
out:
    g_ptr_array_unref(kids);
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

static void collect_names(const RxNode *n, GHashTable *seen)
{
    if (n->kind == RX_SET) {
        for (guint i = 0; i < n->names->len; i++)
            g_hash_table_add(seen, g_strdup(g_ptr_array_index(n->names, i)));
        for (guint i = 0; i < n->ranges->len; i += 2)
            for (gunichar c = g_array_index(n->ranges, gunichar, i);
                 c <= g_array_index(n->ranges, gunichar, i + 1); c++)
                g_hash_table_add(seen, char_string(c));
    }
    for (uint32_t i = 0; i < n->n_kids; i++) collect_names(n->kids[i], seen);
}

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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool bind(Parser *ps, RxNode *n, const LkAlphabet *a)
{
    for (uint32_t i = 0; i < n->n_kids; i++)
        if (!bind(ps, n->kids[i], a)) return false;
    if (n->kind != RX_SET) return true;
    const uint32_t k = lk_alphabet_size(a);
    uint8_t *in = g_new0(uint8_t, k + 1);
    for (guint i = 0; i < n->names->len; i++) {
        const char *name = g_ptr_array_index(n->names, i);
        int64_t s = lk_alphabet_index(a, name);
        if (s < 0) {
            g_free(in);
            return fail_at(ps, n->col, "symbol '%s' is not in the alphabet", name);
        }
        in[s] = 1;
    }
    for (uint32_t s = 0; s < k && n->ranges->len; s++) {
        const char *name = lk_alphabet_name(a, s);
        if (g_utf8_strlen(name, -1) != 1) continue;
        gunichar c = g_utf8_get_char(name);
        for (guint i = 0; i < n->ranges->len; i += 2)
            if (c >= g_array_index(n->ranges, gunichar, i) &&
                c <= g_array_index(n->ranges, gunichar, i + 1))
                in[s] = 1;
    }
    n->syms = g_new(uint32_t, k + 1);
    n->n_syms = 0;
    for (uint32_t s = 0; s < k; s++)
        if (n->any || (in[s] != 0) != n->negated) n->syms[n->n_syms++] = s;
    g_free(in);
    return true;
}

static void node_free(gpointer p)
{
    RxNode *n = p;
    g_free(n->kids);
    if (n->names) g_ptr_array_unref(n->names);
    if (n->ranges) g_array_unref(n->ranges);
    g_free(n->syms);
    g_free(n);
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
    re->nodes = g_ptr_array_new_with_free_func(node_free);
    Parser ps = {.re = re, .p = re->text, .col = 1, .error = error};
    re->root = parse_alt(&ps);
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
                    need->kind == RX_NOT ? "~" : need->any ? "." : "[^");
            goto fail;
        }
        GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        collect_names(re->root, seen);
        guint len;
        gpointer *names = g_hash_table_get_keys_as_array(seen, &len);
        qsort(names, len, sizeof(char *), cmp_str);
        re->alphabet = lk_alphabet_new((const char *const *)names, len, error);
        g_free(names);
        g_hash_table_unref(seen);
        if (!re->alphabet) goto fail;
    }
    if (!bind(&ps, re->root, re->alphabet)) goto fail;
    return re;
fail:
    lk_regex_free(re);
    return NULL;
}

void lk_regex_free(LkRegex *re)
{
    if (!re) return;
    g_ptr_array_unref(re->nodes);
    lk_alphabet_unref(re->alphabet);
    g_free(re->text);
    g_free(re);
}

LkAlphabet *lk_regex_alphabet(const LkRegex *re)
{
    return re->alphabet;
}

const char *lk_regex_text(const LkRegex *re)
{
    return re->text;
}

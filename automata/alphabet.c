/* Alphabets: an array of names plus a hash index from name to position. */
#include "automata/alphabet.h"
#include "automata/error.h"

#include <stdlib.h>
#include <string.h>

struct LkAlphabet {
    gint refcount;
    uint32_t k;
    bool is_chars;
    char **names;
    GHashTable *index; /* name -> GUINT_TO_POINTER(i + 1) */
};

LkAlphabet *lk_alphabet_new(const char *const *names, uint32_t k, GError **error)
{
    LkAlphabet *a = g_new0(LkAlphabet, 1);
    a->refcount = 1;
    a->k = k;
    a->is_chars = true;
    a->names = g_new0(char *, (gsize)k + 1);
    a->index = g_hash_table_new(g_str_hash, g_str_equal);
    for (uint32_t i = 0; i < k; i++) {
        const char *nm = names[i];
        if (!nm || !*nm || !g_utf8_validate(nm, -1, NULL)) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "alphabet: symbol %u is empty or not UTF-8", i + 1);
            lk_alphabet_unref(a);
            return NULL;
        }
        for (const char *p = nm; *p; p = g_utf8_next_char(p))
            if (g_unichar_isspace(g_utf8_get_char(p))) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "alphabet: symbol '%s' contains whitespace (words are written with "
                            "spaces between symbols, so it could not be read back)",
                            nm);
                lk_alphabet_unref(a);
                return NULL;
            }
        if (g_hash_table_contains(a->index, nm)) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "alphabet: symbol '%s' appears twice", nm);
            lk_alphabet_unref(a);
            return NULL;
        }
        a->names[i] = g_strdup(nm);
        g_hash_table_insert(a->index, a->names[i], GUINT_TO_POINTER(i + 1));
        if (g_utf8_strlen(nm, -1) != 1) a->is_chars = false;
    }
    return a;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

LkAlphabet *lk_alphabet_new_sorted(const char **names, uint32_t k, GError **error)
{
    if (k) qsort(names, k, sizeof(char *), cmp_name);
    return lk_alphabet_new(names, k, error);
}

LkAlphabet *lk_alphabet_new_chars(const char *chars, GError **error)
{
    g_return_val_if_fail(chars != NULL, NULL);
    if (!g_utf8_validate(chars, -1, NULL)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "alphabet: not valid UTF-8");
        return NULL;
    }
    GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
    for (const char *p = chars; *p; p = g_utf8_next_char(p))
        g_ptr_array_add(v, g_strndup(p, (gsize)(g_utf8_next_char(p) - p)));
    LkAlphabet *a = lk_alphabet_new((const char *const *)v->pdata, v->len, error);
    g_ptr_array_unref(v);
    return a;
}

LkAlphabet *lk_alphabet_new_list(const char *list, GError **error)
{
    g_return_val_if_fail(list != NULL, NULL);
    if (!*list) return lk_alphabet_new(NULL, 0, error);
    char **parts = g_strsplit(list, ",", -1);
    LkAlphabet *a = lk_alphabet_new((const char *const *)parts, g_strv_length(parts), error);
    g_strfreev(parts);
    return a;
}

LkAlphabet *lk_alphabet_ref(LkAlphabet *a)
{
    g_return_val_if_fail(a != NULL, NULL);
    g_atomic_int_inc(&a->refcount);
    return a;
}

void lk_alphabet_unref(LkAlphabet *a)
{
    if (!a || !g_atomic_int_dec_and_test(&a->refcount)) return;
    g_hash_table_unref(a->index);
    g_strfreev(a->names);
    g_free(a);
}

uint32_t lk_alphabet_size(const LkAlphabet *a)
{
    g_return_val_if_fail(a != NULL, 0);
    return a->k;
}

const char *lk_alphabet_name(const LkAlphabet *a, uint32_t i)
{
    g_return_val_if_fail(i < a->k, NULL);
    return a->names[i];
}

int64_t lk_alphabet_index(const LkAlphabet *a, const char *name)
{
    g_return_val_if_fail(a != NULL, -1);
    gpointer v = g_hash_table_lookup(a->index, name);
    return v ? (int64_t)GPOINTER_TO_UINT(v) - 1 : -1;
}

bool lk_alphabet_is_chars(const LkAlphabet *a)
{
    g_return_val_if_fail(a != NULL, false);
    return a->is_chars;
}

bool lk_alphabet_equal(const LkAlphabet *a, const LkAlphabet *b)
{
    g_return_val_if_fail(a != NULL, false);
    if (a == b) return true;
    if (a->k != b->k) return false;
    for (uint32_t i = 0; i < a->k; i++)
        if (strcmp(a->names[i], b->names[i]) != 0) return false;
    return true;
}

void lk_alphabet_format_word(const LkAlphabet *a, const uint32_t *word, size_t len, GString *out)
{
    g_return_if_fail(a != NULL);
    for (size_t i = 0; i < len; i++) {
        if (i && !a->is_chars) g_string_append_c(out, ' ');
        g_string_append(out, a->names[word[i]]);
    }
}

char *lk_alphabet_word_to_string(const LkAlphabet *a, const uint32_t *word, size_t len)
{
    g_return_val_if_fail(a != NULL, NULL);
    GString *s = g_string_new(NULL);
    lk_alphabet_format_word(a, word, len, s);
    return g_string_free(s, FALSE);
}

static bool add_symbol(const LkAlphabet *a, const char *name, GArray *out, GError **error)
{
    int64_t i = lk_alphabet_index(a, name);
    if (i < 0) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "word: '%s' is not a symbol of the alphabet",
                    name);
        return false;
    }
    uint32_t s = (uint32_t)i;
    g_array_append_val(out, s);
    return true;
}

bool lk_alphabet_parse_word(const LkAlphabet *a, const char *text, GArray *out, GError **error)
{
    g_return_val_if_fail(a != NULL, false);
    if (!g_utf8_validate(text, -1, NULL)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "word: not valid UTF-8");
        return false;
    }
    if (!a->is_chars) {
        char **parts = g_strsplit_set(text, " \t\n", -1);
        bool ok = true;
        for (char **p = parts; ok && *p; p++)
            if (**p) ok = add_symbol(a, *p, out, error);
        g_strfreev(parts);
        return ok;
    }
    for (const char *p = text; *p;) {
        const char *next = g_utf8_next_char(p);
        char *name;
        const char *close = *p == '<' ? strchr(p, '>') : NULL;
        name = close ? g_strndup(p + 1, (gsize)(close - p - 1)) : NULL;
        if (name && lk_alphabet_index(a, name) >= 0) {
            next = close + 1;
        } else {
            g_free(name);
            name = g_strndup(p, (gsize)(next - p));
        }
        bool ok = add_symbol(a, name, out, error);
        g_free(name);
        if (!ok) return false;
        p = next;
    }
    return true;
}

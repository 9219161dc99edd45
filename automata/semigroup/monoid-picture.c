/* Pictures of a transition monoid: the egg-box layout of its D-classes and
 * DOT drawings of the egg boxes and of the right Cayley graph. See monoid.h. */
#include "automata/semigroup/monoid.h"

#include <string.h>

static void egg_box_free(gpointer p)
{
    LkEggBox *b = p;
    g_free(b->row_class);
    g_free(b->col_class);
    g_free(b->cell);
    g_free(b->elements);
    g_free(b);
}

/* Three passes over the elements: rows and columns numbered by first
 * element, cells counted, elements placed (ascending within a cell). */
GPtrArray *lk_monoid_egg_boxes(const LkMonoid *m, const LkMonoidAnalysis *a)
{
    g_return_val_if_fail(m != NULL, NULL);
    g_return_val_if_fail(a != NULL && a->d_class && a->r_class && a->l_class, NULL);
    const uint32_t n = lk_monoid_size(m), D = a->d_classes;
    g_autofree uint32_t *rowpos = g_new(uint32_t, a->r_classes + 1);
    g_autofree uint32_t *colpos = g_new(uint32_t, a->l_classes + 1);
    memset(rowpos, 0xff, sizeof(uint32_t) * (a->r_classes + 1));
    memset(colpos, 0xff, sizeof(uint32_t) * (a->l_classes + 1));
    GPtrArray *boxes = g_ptr_array_new_full(D, egg_box_free);
    for (uint32_t d = 0; d < D; d++) {
        LkEggBox *b = g_new0(LkEggBox, 1);
        b->d_class = d;
        g_ptr_array_add(boxes, b);
    }
    for (uint32_t x = 0; x < n; x++) {
        LkEggBox *b = boxes->pdata[a->d_class[x]];
        if (rowpos[a->r_class[x]] == UINT32_MAX) rowpos[a->r_class[x]] = b->rows++;
        if (colpos[a->l_class[x]] == UINT32_MAX) colpos[a->l_class[x]] = b->cols++;
        b->size++;
    }
    for (uint32_t d = 0; d < D; d++) {
        LkEggBox *b = boxes->pdata[d];
        b->row_class = g_new(uint32_t, b->rows + 1);
        b->col_class = g_new(uint32_t, b->cols + 1);
        b->cell = g_new0(uint32_t, (size_t)b->rows * b->cols + 1);
        b->elements = g_new(uint32_t, b->size + 1);
    }
    for (uint32_t x = 0; x < n; x++) {
        LkEggBox *b = boxes->pdata[a->d_class[x]];
        const uint32_t r = rowpos[a->r_class[x]], c = colpos[a->l_class[x]];
        b->row_class[r] = a->r_class[x];
        b->col_class[c] = a->l_class[x];
        b->cell[(size_t)r * b->cols + c + 1]++;
    }
    for (uint32_t d = 0; d < D; d++) {
        LkEggBox *b = boxes->pdata[d];
        for (size_t i = 1; i <= (size_t)b->rows * b->cols; i++) b->cell[i] += b->cell[i - 1];
    }
    /* next[d][c]: where cell c of D-class d takes its next element */
    uint32_t **next = g_new(uint32_t *, D + 1);
    for (uint32_t d = 0; d < D; d++) {
        const LkEggBox *b = boxes->pdata[d];
        next[d] = g_memdup2(b->cell, sizeof(uint32_t) * ((size_t)b->rows * b->cols + 1));
    }
    for (uint32_t x = 0; x < n; x++) {
        const uint32_t d = a->d_class[x];
        LkEggBox *b = boxes->pdata[d];
        b->elements[next[d][(size_t)rowpos[a->r_class[x]] * b->cols + colpos[a->l_class[x]]]++] = x;
    }
    for (uint32_t d = 0; d < D; d++) g_free(next[d]);
    g_free(next);
    return boxes;
}

char *lk_monoid_egg_box_dot(const LkMonoid *m, const LkMonoidAnalysis *a, const LkAlphabet *names)
{
    g_return_val_if_fail(m != NULL, NULL);
    g_autoptr(GPtrArray) boxes = lk_monoid_egg_boxes(m, a);
    if (!boxes) return NULL;
    GString *s = g_string_new("digraph eggbox {\n  node [shape=plaintext];\n");
    for (guint d = 0; d < boxes->len; d++) {
        const LkEggBox *b = boxes->pdata[d];
        g_string_append_printf(
            s, "  d%u [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">", d);
        for (uint32_t i = 0; i < b->rows; i++) {
            g_string_append(s, "<tr>");
            for (uint32_t j = 0; j < b->cols; j++) {
                const size_t c = (size_t)i * b->cols + j;
                const uint32_t *x = b->elements + b->cell[c], total = b->cell[c + 1] - b->cell[c];
                bool idem = false;
                for (uint32_t e = 0; e < total && !idem; e++)
                    idem = lk_monoid_is_idempotent(m, x[e]);
                g_string_append_printf(s, "<td>%s", idem ? "* " : "");
                for (uint32_t e = 0; e < total && e < 3; e++) {
                    g_autofree char *w = lk_monoid_word_text(m, x[e], names);
                    g_autofree char *esc = g_markup_escape_text(*w ? w : "1", -1);
                    g_string_append_printf(s, "%s%s", e ? " " : "", esc);
                }
                if (total > 3) g_string_append_printf(s, " …(%u)", total);
                g_string_append(s, "</td>");
            }
            g_string_append(s, "</tr>");
        }
        g_string_append(s, "</table>>];\n");
    }
    g_string_append(s, "}\n");
    return g_string_free(s, FALSE);
}

char *lk_monoid_cayley_dot(const LkMonoid *m, const LkAlphabet *names)
{
    g_return_val_if_fail(m != NULL, NULL);
    GString *s = g_string_new("digraph cayley {\n  rankdir=LR;\n");
    for (uint32_t x = 0; x < lk_monoid_size(m); x++) {
        g_autofree char *w = lk_monoid_word_text(m, x, names);
        g_string_append_printf(s, "  %u [label=", x);
        lk_json_append_string(s, *w ? w : "1");
        g_string_append(s, "];\n");
        for (uint32_t a = 0; a < lk_monoid_ngens(m); a++) {
            g_string_append_printf(s, "  %u -> %u [label=", x, lk_monoid_right(m, x, a));
            lk_json_append_string(s, lk_alphabet_name(names, a));
            g_string_append(s, "];\n");
        }
    }
    g_string_append(s, "}\n");
    return g_string_free(s, FALSE);
}

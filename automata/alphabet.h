/** @file
 * lrnnkit — alphabets: ordered, distinct symbol names.
 *
 * A symbol is a non-empty UTF-8 string. Most alphabets are single characters
 * ("ab"); word problems and tasks use names ("push", "(12)"). Symbols are
 * numbered 0..k-1 in the order given; that order is the order of DFA columns.
 * An LkAlphabet is immutable and reference counted, so DFAs share one freely.
 *
 * Words: when every symbol is one character a word is written as the string
 * of its characters ("abba"); otherwise as symbol names separated by single
 * spaces ("push pop"). The empty word is "" in both cases.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** An immutable, reference-counted alphabet (opaque). */
typedef struct LkAlphabet LkAlphabet;

/** New alphabet from k names (copied). Fails on an empty or duplicate name. */
LkAlphabet *lk_alphabet_new(const char *const *names, uint32_t k, GError **error);
/** Like lk_alphabet_new, ordered by byte-wise (code point) comparison of the
 * names; sorts the array names in place. */
LkAlphabet *lk_alphabet_new_sorted(const char **names, uint32_t k, GError **error);
/** Each UTF-8 character of chars is a symbol: "ab" -> {a, b}. */
LkAlphabet *lk_alphabet_new_chars(const char *chars, GError **error);
/** Comma-separated names: "a,b,push,pop". */
LkAlphabet *lk_alphabet_new_list(const char *list, GError **error);

/** A new reference to a (returns a). Thread-safe (atomic count). */
LkAlphabet *lk_alphabet_ref(LkAlphabet *a);
/** Drops a reference; frees the alphabet with the last one. NULL is ignored. */
void lk_alphabet_unref(LkAlphabet *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkAlphabet, lk_alphabet_unref)

/** Number of symbols k. */
uint32_t lk_alphabet_size(const LkAlphabet *a);
/** Borrowed name of symbol i. */
const char *lk_alphabet_name(const LkAlphabet *a, uint32_t i);
/** Index of the symbol called name, or -1. O(1) expected. */
int64_t lk_alphabet_index(const LkAlphabet *a, const char *name);
/** Every symbol is a single UTF-8 character. */
bool lk_alphabet_is_chars(const LkAlphabet *a);
/** Same names in the same order. */
bool lk_alphabet_equal(const LkAlphabet *a, const LkAlphabet *b);

/** Appends the written form of word (len symbol indices) to out. */
void lk_alphabet_format_word(const LkAlphabet *a, const uint32_t *word, size_t len, GString *out);
/** Newly allocated written form of a word. */
char *lk_alphabet_word_to_string(const LkAlphabet *a, const uint32_t *word, size_t len);
/** Parses a written word into symbol indices (appended to out, a GArray of
 * uint32_t). Character alphabets also accept `<name>` for one symbol. */
bool lk_alphabet_parse_word(const LkAlphabet *a, const char *text, GArray *out, GError **error);

G_END_DECLS

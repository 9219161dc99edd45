/* Syntax tree of a regex, shared by the parser, the compiler and the
 * reference matcher. Nodes live in the regex's node array and die with it. */
#pragma once

#include "automata/regex.h"

typedef enum {
    RX_EMPTY, /* no word */
    RX_EPS,   /* the empty word */
    RX_SET,   /* one symbol out of syms[] */
    RX_CAT,
    RX_ALT,
    RX_AND,
    RX_NOT,
    RX_STAR,
    RX_PLUS,
    RX_OPT,
    RX_REPEAT, /* min..max copies, max == RX_UNBOUNDED for {m,} */
} RxKind;

#define RX_UNBOUNDED UINT32_MAX
#define RX_BLOCK 256u

typedef struct RxNode RxNode;
struct RxNode {
    RxKind kind;
    uint32_t col; /* 1-based column of the node's first character */
    RxNode **kids;
    uint32_t n_kids;
    uint32_t min, max;
    /* RX_SET before binding: one symbol `name`, or a class / `.` */
    const char *name;  /* interned in the regex's string chunk */
    uint32_t name_id;  /* index of name in LkRegex.names */
    bool negated, any; /* [^..], . */
    GPtrArray *names;  /* class members (interned char*), NULL for `name` */
    GArray *ranges;    /* gunichar pairs lo, hi */
    /* RX_SET after binding: */
    uint32_t *syms; /* sorted, distinct; points at sym1 for one symbol */
    uint32_t n_syms;
    uint32_t sym1;
};

struct LkRegex {
    char *text;
    RxNode *root;
    GPtrArray *blocks;     /* RxNode arrays of RX_BLOCK nodes: every node */
    uint32_t used;         /* nodes used in the last block */
    GStringChunk *strings; /* symbol names, interned */
    GPtrArray *names;      /* distinct names seen, in order (borrowed from strings) */
    GHashTable *name_ids;  /* name -> index in names + 1 */
    LkAlphabet *alphabet;
};

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

typedef struct RxNode RxNode;
/* Members of a class [..] or `.` as written, before binding. */
typedef struct {
    GPtrArray *names; /* interned char* */
    GArray *ranges;   /* gunichar pairs lo, hi */
} RxClass;

/* 48 bytes: a long regex is mostly RX_SET nodes, one per symbol. */
struct RxNode {
    uint8_t kind;      /* RxKind */
    bool negated, any; /* RX_SET before binding: [^..], . */
    bool named;        /* RX_SET before binding: one symbol, names[name_id] */
    uint32_t col;      /* 1-based column of the node's first character */
    RxNode **kids;
    uint32_t n_kids;
    uint32_t min, max;
    uint32_t name_id; /* index of the symbol's name in LkRegex.names */
    RxClass *cls;     /* RX_SET before binding: a class or `.` */
    /* RX_SET after binding: */
    uint32_t *syms; /* sorted, distinct; points at sym1 for one symbol */
    uint32_t n_syms;
    uint32_t sym1;
};

struct LkRegex {
    char *text;
    RxNode *root;
    GPtrArray *blocks;     /* RxNode arrays, growing (block_nodes): every node */
    GPtrArray *kid_blocks; /* storage of the nodes' kids arrays */
    size_t kid_used;       /* pointers used in the last kid block */
    size_t kid_cap;        /* its capacity */
    uint32_t used;         /* nodes used in the last block */
    GStringChunk *strings; /* symbol names, interned */
    GPtrArray *names;      /* distinct names seen, in order (borrowed from strings) */
    GHashTable *name_ids;  /* name -> index in names + 1 */
    LkAlphabet *alphabet;
};

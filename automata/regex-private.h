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
struct RxNode {
    RxKind kind;
    uint32_t col; /* 1-based column of the node's first character */
    RxNode **kids;
    uint32_t n_kids;
    uint32_t min, max;
    /* RX_SET before binding: */
    bool negated, any;   /* [^..], . */
    GPtrArray *names;    /* char*: listed symbols */
    GArray *ranges;      /* gunichar pairs lo, hi */
    /* RX_SET after binding: */
    uint32_t *syms;      /* sorted, distinct */
    uint32_t n_syms;
};

struct LkRegex {
    char *text;
    RxNode *root;
    GPtrArray *nodes; /* owns every node */
    LkAlphabet *alphabet;
};

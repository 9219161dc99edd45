/* Dataset de-duplication (see dataset-private.h). */
#include "generators/dataset-private.h"

/* ---- de-duplication: 128-bit fingerprints in an open-addressing set ---- */

void lk_fingerprint(const int32_t *tok, uint32_t len, uint64_t fp[2])
{
    uint64_t a = 0x243F6A8885A308D3ull ^ len, b = 0x13198A2E03707344ull + len;
    for (uint32_t i = 0; i < len; i++) {
        a = (a ^ (uint32_t)tok[i]) * 0x100000001B3ull;
        a ^= a >> 29;
        b = (b + (uint32_t)tok[i] + 1) * 0x9E3779B97F4A7C15ull;
        b ^= b >> 31;
    }
    fp[0] = a | 1; /* never (0, 0) */
    fp[1] = b;
}

/* Adds fp; false when it was there. */
bool lk_seen_add(Seen *s, const uint64_t fp[2])
{
    if (2 * (s->used + 1) > s->cap) {
        Seen g = {g_new0(uint64_t, 2 * MAX(s->cap * 2, 1024)), MAX(s->cap * 2, 1024), 0};
        for (uint64_t i = 0; i < s->cap; i++)
            if (s->keys[2 * i]) lk_seen_add(&g, s->keys + 2 * i);
        g_free(s->keys);
        *s = g;
    }
    for (uint64_t h = (fp[0] ^ fp[1] * 0xD6E8FEB86659FD93ull) & (s->cap - 1);;
         h = (h + 1) & (s->cap - 1)) {
        if (!s->keys[2 * h]) {
            s->keys[2 * h] = fp[0];
            s->keys[2 * h + 1] = fp[1];
            s->used++;
            return true;
        }
        if (s->keys[2 * h] == fp[0] && s->keys[2 * h + 1] == fp[1]) return false;
    }
}

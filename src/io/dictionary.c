/*
 * dictionary.c: string interning for dictionary-encoded columns. Open addressing with linear
 * probing at load factor <= 1/2; the hash is FNV-1a over 8-byte words then bytes, finished with a
 * 64-bit mixer, which is cheap for the short labels typical of data files.
 */
#include "io/dictionary.h"

#include "core/internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

static uint64_t hash_text(const char *text, size_t len)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (uint64_t)len;
    size_t k = 0;
    for (; k + 8 <= len; k += 8) {
        uint64_t word;
        memcpy(&word, text + k, 8);
        h = (h ^ word) * UINT64_C(0x100000001b3);
        h ^= h >> 29;
    }
    for (; k < len; k++) h = (h ^ (unsigned char)text[k]) * UINT64_C(0x100000001b3);
    return mix(h);
}

void sk_dict_init(sk_dict *d) { memset(d, 0, sizeof *d); }

void sk_dict_free(sk_dict *d)
{
    if (d == NULL) return;
    free(d->slots);
    free(d->hashes);
    free(d->offsets);
    free(d->lengths);
    free(d->arena);
    memset(d, 0, sizeof *d);
}

const char *sk_dict_level(const sk_dict *d, size_t code, size_t *len)
{
    if (len != NULL) *len = d->lengths[code];
    return d->arena + d->offsets[code];
}

/* Rebuild the slot table with n_slots slots (a power of two larger than twice the level count). */
static bool rehash(sk_dict *d, size_t n_slots)
{
    uint32_t *slots = sk_calloc_array(n_slots, sizeof *slots);
    if (slots == NULL) return false;
    size_t mask = n_slots - 1;
    for (size_t code = 0; code < d->n_levels; code++) {
        size_t s = (size_t)d->hashes[code] & mask;
        while (slots[s] != 0) s = (s + 1) & mask;
        slots[s] = (uint32_t)code + 1;
    }
    free(d->slots);
    d->slots = slots;
    d->n_slots = n_slots;
    return true;
}

static bool grow_levels(sk_dict *d)
{
    size_t capacity = d->level_capacity ? 2 * d->level_capacity : 16;
    uint64_t *hashes = sk_realloc_array(d->hashes, capacity, sizeof *hashes);
    if (hashes == NULL) return false;
    d->hashes = hashes;
    size_t *offsets = sk_realloc_array(d->offsets, capacity, sizeof *offsets);
    if (offsets == NULL) return false;
    d->offsets = offsets;
    size_t *lengths = sk_realloc_array(d->lengths, capacity, sizeof *lengths);
    if (lengths == NULL) return false;
    d->lengths = lengths;
    d->level_capacity = capacity;
    return true;
}

static bool reserve_arena(sk_dict *d, size_t extra)
{
    if (extra > SIZE_MAX - d->arena_used) return false;
    size_t need = d->arena_used + extra;
    if (need <= d->arena_capacity) return true;
    size_t capacity = d->arena_capacity ? d->arena_capacity : 256;
    while (capacity < need) capacity = capacity > SIZE_MAX / 2 ? need : 2 * capacity;
    char *arena = realloc(d->arena, capacity);
    if (arena == NULL) return false;
    d->arena = arena;
    d->arena_capacity = capacity;
    return true;
}

int32_t sk_dict_intern(sk_dict *d, const char *text, size_t len)
{
    uint64_t h = hash_text(text, len);
    if (d->n_slots != 0) {
        size_t mask = d->n_slots - 1;
        for (size_t s = (size_t)h & mask; d->slots[s] != 0; s = (s + 1) & mask) {
            size_t code = d->slots[s] - 1;
            if (d->hashes[code] == h && d->lengths[code] == len &&
                memcmp(d->arena + d->offsets[code], text, len) == 0)
                return (int32_t)code;
        }
    }
    if (d->n_levels >= INT32_MAX) return -1;
    if (2 * (d->n_levels + 1) > d->n_slots && !rehash(d, d->n_slots ? 2 * d->n_slots : 64)) return -1;
    if (d->n_levels == d->level_capacity && !grow_levels(d)) return -1;
    if (!reserve_arena(d, len + 1)) return -1;
    size_t code = d->n_levels++;
    d->hashes[code] = h;
    d->offsets[code] = d->arena_used;
    d->lengths[code] = len;
    memcpy(d->arena + d->arena_used, text, len);
    d->arena[d->arena_used + len] = '\0';
    d->arena_used += len + 1;
    size_t mask = d->n_slots - 1, s = (size_t)h & mask;
    while (d->slots[s] != 0) s = (s + 1) & mask;
    d->slots[s] = (uint32_t)code + 1;
    return (int32_t)code;
}

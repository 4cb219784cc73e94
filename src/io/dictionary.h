/*
 * dictionary.h: the level table of one string column while it is read: each distinct text gets a
 * code 0, 1, 2, ... in order of first appearance. Texts live in one growing arena and the lookup is
 * an open-addressing hash table, so interning a text costs no allocation unless a table grows.
 */
#ifndef SURVKIT_IO_DICTIONARY_H
#define SURVKIT_IO_DICTIONARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sk_dict {
    uint32_t *slots;     /* code + 1 of the level in each slot, 0 = empty; capacity a power of 2 */
    size_t n_slots;
    uint64_t *hashes;    /* hashes[code] */
    size_t *offsets;     /* offsets[code]: start of the level's text in arena (NUL-terminated) */
    size_t *lengths;     /* lengths[code] */
    size_t n_levels;
    size_t level_capacity;
    char *arena;
    size_t arena_used;
    size_t arena_capacity;
} sk_dict;

/* An empty dictionary (no allocation until the first sk_dict_intern). */
void sk_dict_init(sk_dict *d);
void sk_dict_free(sk_dict *d);

/*
 * Code of text[0..len) (which may hold any bytes but NUL), adding it as a new level when unseen.
 * Returns the code (>= 0), or -1 when memory runs out or the level count would pass INT32_MAX.
 */
int32_t sk_dict_intern(sk_dict *d, const char *text, size_t len);

/* Level `code` as a NUL-terminated string owned by the dictionary; its length in *len if not NULL. */
const char *sk_dict_level(const sk_dict *d, size_t code, size_t *len);

#endif /* SURVKIT_IO_DICTIONARY_H */

/*
 * collate.c: the order in which R sorts the levels of a string column (factor(), strata labels,
 * groups): by default the order of R in a UTF-8 locale, which on Debian is ICU's root collation
 * (capabilities("ICU") is TRUE and icuGetCollate() is "root" under C.UTF-8 and en_US.UTF-8);
 * with SURVKIT_COLLATE_C the bytes' order, R's LC_COLLATE=C (strcmp).
 *
 * The rule is the Unicode Collation Algorithm with CLDR root's tables, non-ignorable punctuation
 * and three levels, written for the characters that occur in data files: ASCII, Latin-1, Latin
 * Extended-A, the general punctuation block's dashes, quotes and primes, the euro sign; other
 * characters fall back on their code point (Greek and Cyrillic with their case).
 * Each character gives up to three collation elements (primary, secondary, tertiary):
 *  - primary: the base character's place in `primary_order` below (whitespace, punctuation and
 *    symbols in CLDR's order, digits, letters with the extra letters ı ŋ ĸ ŧ þ in their places);
 *    0 for a combining accent;
 *  - secondary: COMMON for a base character, or the accent's weight (acute < grave < breve <
 *    circumflex < caron < ring < diaeresis < double acute < tilde < dot < ø's stroke < cedilla <
 *    ogonek < macron < stroke < eth < middle dot < long s < ligature < sharp s); an accented
 *    letter is its base letter followed by its accent (é = e + acute), as after NFD;
 *  - tertiary: LOWER (and for uncased characters), UPPER, or COMPAT for compatibility variants
 *    (no-break space, ª º ¹ ² ³, fractions, ligatures' parts).
 * Ligatures expand: æ = a + ligature + e, œ = o + ligature + e, ĳ = i + ligature + j,
 * ß = s + sharp s + s, ¼ = 1 ⁄ 4, … = . . . (so ae < æ < Æ < af and ss < ß < st).
 * Strings compare by their primaries, then secondaries, then tertiaries, each sequence in order
 * (a shorter sequence first); this is the sort key built by sk_collate_key. Strings equal at all
 * three levels (a precomposed and a decomposed é) are ordered by their bytes.
 * tests/golden/make_golden_collate.R has R sort a list of tricky strings; test_collate.c checks
 * this order against it.
 */
#include "formula/formula_internal.h"

#include <stdlib.h>
#include <string.h>

enum { COMMON = 5, LOWER = 2, UPPER = 8, COMPAT = 20 };

/* Accent (secondary) weights, all above COMMON. */
enum {
    ACUTE = 10, GRAVE, BREVE, CIRCUMFLEX, CARON, RING, DIAERESIS, DOUBLE_ACUTE, TILDE, DOT,
    O_STROKE, CEDILLA, OGONEK, MACRON, STROKE, ETH, MIDDLE_DOT, LONG_S, LIGATURE, SHARP_S,
    OTHER_ACCENT /* + offset of another combining mark in U+0300..U+036F */
};

/* Characters with their own primary weight, in CLDR root order (weight = index + 1). */
static const uint16_t primary_order[] = {
    /* whitespace */
    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20,
    /* punctuation: _ ‗ - ‐ ‒ – — ― , ; : ! ¡ ? ¿ . · ' ‘ ’ ‚ ‛ ‹ › " “ ” „ ‟ « » ( ) [ ] { } ‖ § ¶ */
    0x5F, 0x2017, 0x2D, 0x2010, 0x2012, 0x2013, 0x2014, 0x2015, 0x2C, 0x3B, 0x3A, 0x21, 0xA1,
    0x3F, 0xBF, 0x2E, 0xB7, 0x27, 0x2018, 0x2019, 0x201A, 0x201B, 0x2039, 0x203A, 0x22, 0x201C,
    0x201D, 0x201E, 0x201F, 0xAB, 0xBB, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2016, 0xA7, 0xB6,
    /* @ * / \ & # % ‰ ‱ † ‡ • ‣ ‧ ′ ‵ ‸ ` ´ ^ ¯ ¨ ¸ ° © ® */
    0x40, 0x2A, 0x2F, 0x5C, 0x26, 0x23, 0x25, 0x2030, 0x2031, 0x2020, 0x2021, 0x2022, 0x2023,
    0x2027, 0x2032, 0x2035, 0x2038, 0x60, 0xB4, 0x5E, 0xAF, 0xA8, 0xB8, 0xB0, 0xA9, 0xAE,
    /* symbols: + ± ÷ × < = > ¬ | ¦ ~ − ⁄ ≤ ≥, currency: ¤ ¢ $ £ ¥ € */
    0x2B, 0xB1, 0xF7, 0xD7, 0x3C, 0x3D, 0x3E, 0xAC, 0x7C, 0xA6, 0x7E, 0x2212, 0x2044, 0x2264,
    0x2265, 0xA4, 0xA2, 0x24, 0xA3, 0xA5, 0x20AC,
    /* digits */
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    /* letters (lower case stands for both cases) */
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 0x131 /* ı */, 'j', 'k', 'l', 'm', 'n',
    0x14B /* ŋ */, 'o', 'p', 'q', 0x138 /* ĸ */, 'r', 's', 't', 0x167 /* ŧ */, 'u', 'v', 'w',
    'x', 'y', 'z', 0xFE /* þ */, 0x2BC /* ʼ */};

#define N_PRIMARY (sizeof primary_order / sizeof primary_order[0])

/*
 * U+00C0..U+017F: the base letter (its case gives the tertiary weight; '*' = handled apart) and
 * the accent, one character each: a acute, g grave, b breve, c circumflex, k caron, r ring,
 * d diaeresis, x double acute, t tilde, p dot, o ø's stroke, e cedilla, q ogonek, m macron,
 * s stroke, h eth, l middle dot, L long s, '-' none.
 */
static const char latin_base[] =
    "AAAAAA*CEEEEIIIIDNOOOOO*OUUUUY**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y" /* U+00C0 */
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiI***JjKk*LlLlLlL"   /* U+0100 */
    "lLlNnNnNn***OoOoOo**RrRrRrSsSsSsSsTtTt**UuUuUuUuUuUuWwYyYZzZzZzs";  /* U+0140 */
static const char latin_accent[] =
    "gactdr-egacdgacdhtgactd-ogacda--gactdr-egacdgacdhtgactd-ogacda-d"
    "mmbbqqaaccppkkkkssmmbbppqqkkccbbppeeccssttmmbbqqp---ccee-aaeekkl"
    "lssaaeekk---mmbbxx--aaeekkaacceekkeekk--ttmmbbrrxxqqccccdaappkkL";

typedef struct element {
    uint32_t primary; /* 0: none; else the primary_order weight, or 0x10000 + code point */
    uint8_t secondary, tertiary;
} element;

/* A per-call look-up table from code point to primary weight (no global state). */
typedef struct collator {
    uint16_t low[0x180];  /* U+0000..U+017F */
} collator;

static uint32_t primary_of(const collator *c, uint32_t cp)
{
    if (cp < 0x180 && c->low[cp] != 0) return c->low[cp];
    for (size_t k = 0; k < N_PRIMARY; k++)
        if (primary_order[k] == cp) return (uint32_t)k + 1;
    return 0x10000 + cp;
}

static void collator_init(collator *c)
{
    memset(c, 0, sizeof *c);
    for (size_t k = 0; k < N_PRIMARY; k++)
        if (primary_order[k] < 0x180) c->low[primary_order[k]] = (uint16_t)(k + 1);
}

static element base(const collator *c, uint32_t cp, uint8_t tertiary)
{
    return (element){primary_of(c, cp), COMMON, tertiary};
}

static element accent(uint8_t weight) { return (element){0, weight, LOWER}; }

static uint8_t accent_weight(char code)
{
    static const char codes[] = "agbckrdxtpoeqmshlL";
    const char *at = strchr(codes, code);
    return at == NULL || code == '\0' ? 0 : (uint8_t)(ACUTE + (at - codes));
}

/* The weight of combining mark U+0300 + k. */
static uint8_t combining_weight(uint32_t k)
{
    static const struct { uint8_t offset, weight; } known[] = {
        {0x01, ACUTE}, {0x00, GRAVE}, {0x06, BREVE}, {0x02, CIRCUMFLEX}, {0x0C, CARON},
        {0x0A, RING}, {0x08, DIAERESIS}, {0x0B, DOUBLE_ACUTE}, {0x03, TILDE}, {0x07, DOT},
        {0x27, CEDILLA}, {0x28, OGONEK}, {0x04, MACRON}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].offset == k) return known[i].weight;
    return (uint8_t)(OTHER_ACCENT + k);
}

/* Two letters joined by a secondary mark (æ, œ, ĳ, ß): first, mark, second, with case t. */
static size_t ligature(const collator *c, uint32_t first, uint8_t mark, uint32_t second,
                       uint8_t t, element *out)
{
    out[0] = base(c, first, t);
    out[1] = accent(mark);
    out[2] = base(c, second, t);
    return 3;
}

/* Compatibility expansions: n characters, every one COMPAT at the third level. */
static size_t compat(const collator *c, const uint32_t *cps, size_t n, element *out)
{
    for (size_t k = 0; k < n; k++) out[k] = base(c, cps[k], COMPAT);
    return n;
}

/* The collation elements of code point cp (at most 3). */
static size_t elements(const collator *c, uint32_t cp, element *out)
{
    if (cp < 0x09 || (cp >= 0x0E && cp < 0x20) || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD ||
        (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF)
        return 0; /* controls, soft hyphen, zero-width characters: ignorable */
    if (cp >= 'A' && cp <= 'Z') {
        out[0] = base(c, cp + 0x20, UPPER);
        return 1;
    }
    if (cp >= 0x300 && cp <= 0x36F) {
        out[0] = accent(combining_weight(cp - 0x300));
        return 1;
    }
    switch (cp) {
    case 0xA0: out[0] = base(c, 0x20, COMPAT); return 1;          /* no-break space */
    case 0xAA: out[0] = base(c, 'a', COMPAT); return 1;           /* ª */
    case 0xBA: out[0] = base(c, 'o', COMPAT); return 1;           /* º */
    case 0xB9: out[0] = base(c, '1', COMPAT); return 1;           /* ¹ */
    case 0xB2: out[0] = base(c, '2', COMPAT); return 1;           /* ² */
    case 0xB3: out[0] = base(c, '3', COMPAT); return 1;           /* ³ */
    case 0xB5: out[0] = base(c, 0x3BC, COMPAT); return 1;         /* µ: Greek mu */
    case 0x2011: out[0] = base(c, 0x2010, COMPAT); return 1;      /* non-breaking hyphen */
    case 0x2024: out[0] = base(c, '.', COMPAT); return 1;         /* one dot leader */
    case 0xBC: return compat(c, (const uint32_t[]){'1', 0x2044, '4'}, 3, out);
    case 0xBD: return compat(c, (const uint32_t[]){'1', 0x2044, '2'}, 3, out);
    case 0xBE: return compat(c, (const uint32_t[]){'3', 0x2044, '4'}, 3, out);
    case 0x2025: return compat(c, (const uint32_t[]){'.', '.'}, 2, out);
    case 0x2026: return compat(c, (const uint32_t[]){'.', '.', '.'}, 3, out);
    case 0x2033: return compat(c, (const uint32_t[]){0x2032, 0x2032}, 2, out);
    case 0x2034: return compat(c, (const uint32_t[]){0x2032, 0x2032, 0x2032}, 3, out);
    case 0x2036: return compat(c, (const uint32_t[]){0x2035, 0x2035}, 2, out);
    case 0x2037: return compat(c, (const uint32_t[]){0x2035, 0x2035, 0x2035}, 3, out);
    case 0xC6: return ligature(c, 'a', LIGATURE, 'e', UPPER, out);  /* Æ */
    case 0xE6: return ligature(c, 'a', LIGATURE, 'e', LOWER, out);  /* æ */
    case 0x152: return ligature(c, 'o', LIGATURE, 'e', UPPER, out); /* Œ */
    case 0x153: return ligature(c, 'o', LIGATURE, 'e', LOWER, out); /* œ */
    case 0x132: return ligature(c, 'i', LIGATURE, 'j', UPPER, out); /* Ĳ */
    case 0x133: return ligature(c, 'i', LIGATURE, 'j', LOWER, out); /* ĳ */
    case 0xDF: return ligature(c, 's', SHARP_S, 's', LOWER, out);   /* ß */
    case 0xDE: out[0] = base(c, 0xFE, UPPER); return 1;           /* Þ */
    case 0x14A: out[0] = base(c, 0x14B, UPPER); return 1;         /* Ŋ */
    case 0x166: out[0] = base(c, 0x167, UPPER); return 1;         /* Ŧ */
    case 0x149: /* ŉ = ʼn */
        out[0] = base(c, 0x2BC, LOWER);
        out[1] = base(c, 'n', LOWER);
        return 2;
    default: break;
    }
    if (cp >= 0xC0 && cp < 0x180 && latin_base[cp - 0xC0] != '*') {
        char letter = latin_base[cp - 0xC0];
        bool upper = letter >= 'A' && letter <= 'Z';
        out[0] = base(c, (uint32_t)(upper ? letter + 0x20 : letter), upper ? UPPER : LOWER);
        uint8_t weight = accent_weight(latin_accent[cp - 0xC0]);
        if (weight == 0) return 1;
        out[1] = accent(weight);
        return 2;
    }
    /* Greek and Cyrillic capitals sort with their small letters */
    if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F)) {
        out[0] = base(c, cp + 0x20, UPPER);
        return 1;
    }
    if (cp >= 0x400 && cp <= 0x40F) {
        out[0] = base(c, cp + 0x50, UPPER);
        return 1;
    }
    out[0] = base(c, cp, LOWER);
    return 1;
}

/* Decode one UTF-8 character at s (a byte that starts no valid sequence stands for itself,
 * mapped above the Unicode range's surrogates so that it sorts after letters). */
static uint32_t next_code_point(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t cp = p[0];
    size_t len = 1;
    if (cp >= 0xC2 && cp <= 0xDF && (p[1] & 0xC0) == 0x80) {
        cp = (cp & 0x1F) << 6 | (p[1] & 0x3F);
        len = 2;
    } else if (cp >= 0xE0 && cp <= 0xEF && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        cp = (cp & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        len = 3;
    } else if (cp >= 0xF0 && cp <= 0xF4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
               (p[3] & 0xC0) == 0x80) {
        cp = (cp & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 | (uint32_t)(p[2] & 0x3F) << 6 |
             (p[3] & 0x3F);
        len = 4;
    } else if (cp >= 0x80) {
        cp = 0xDC00 + cp; /* an invalid byte */
    }
    *s = p + len;
    return cp;
}

/* Append a primary weight: one byte below 0xF0, else 0xF0 and the code point in three 7-bit
 * bytes (weights stay >= 2 so that 0x01 can separate the levels and 0x00 end the key). */
static size_t put_primary(uint32_t primary, unsigned char *key)
{
    if (primary < 0xE0) {
        key[0] = (unsigned char)(primary + 1);
        return 1;
    }
    uint32_t cp = primary - 0x10000;
    key[0] = 0xF0;
    key[1] = (unsigned char)(2 + (cp >> 14 & 0x7F));
    key[2] = (unsigned char)(2 + (cp >> 7 & 0x7F));
    key[3] = (unsigned char)(2 + (cp & 0x7F));
    return 4;
}

/*
 * Bytes a key's writing may touch for a text of `len` bytes: 18 len + 3. Per byte of text there
 * are at most 1.5 elements (æ, ¼: 3 elements in 2 bytes) and 4 primary bytes (an invalid byte's
 * code-point primary); write_key keeps the elements' two lower weights as scratch from byte
 * 12 len + 1 on (at most 3 len bytes) and writes the levels from the start, which stays behind the
 * scratch it has still to read (at most 4 len + 1.5 len + 2 bytes precede the last weight read).
 */
static bool key_capacity(size_t len, size_t *size)
{
    return sk_mul_size(len, 18, size) && *size <= SIZE_MAX - 3 && (*size += 3, true);
}

/* Write the key of `text` at key (key_capacity bytes); returns its length without the NUL. Each
 * character's elements are worked out once: primaries straight into the key, the secondary and
 * tertiary weights into the scratch, from which the two other levels are then written. */
static size_t write_key(const collator *c, const char *text, unsigned char *key)
{
    unsigned char *weights = key + 12 * strlen(text) + 1;
    size_t n_primary = 0, n_elements = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        element e[3];
        size_t n = elements(c, next_code_point(&s), e);
        for (size_t k = 0; k < n; k++) {
            if (e[k].primary != 0) n_primary += put_primary(e[k].primary, key + n_primary);
            weights[2 * n_elements] = e[k].secondary;
            weights[2 * n_elements + 1] = e[k].tertiary;
            n_elements++;
        }
    }
    size_t used = n_primary;
    for (size_t level = 0; level < 2; level++) {
        key[used++] = 0x01;
        for (size_t k = 0; k < n_elements; k++)
            if (weights[2 * k + level] != 0) key[used++] = weights[2 * k + level];
    }
    key[used] = '\0';
    return used;
}

static char *collate_key(const collator *c, const char *text)
{
    size_t size;
    if (!key_capacity(strlen(text), &size)) return NULL;
    unsigned char *key = malloc(size);
    if (key != NULL) write_key(c, text, key);
    return (char *)key;
}

char *sk_collate_key(const char *text)
{
    collator c;
    collator_init(&c);
    return collate_key(&c, text);
}

int sk_collate_compare(const char *a, const char *b, survkit_collate collate)
{
    if (collate == SURVKIT_COLLATE_C) return strcmp(a, b);
    char *ka = sk_collate_key(a), *kb = sk_collate_key(b);
    int order = ka && kb ? strcmp(ka, kb) : 0;
    free(ka);
    free(kb);
    return order != 0 ? order : strcmp(a, b);
}

typedef struct keyed {
    const char *text;
    const char *key;   /* NULL under SURVKIT_COLLATE_C */
    size_t index;
} keyed;

static int compare_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int order = a->key ? strcmp(a->key, b->key) : 0;
    return order != 0 ? order : strcmp(a->text, b->text);
}

bool sk_collate_order(const char *const *texts, size_t n, survkit_collate collate, size_t *order)
{
    keyed *items = sk_malloc_array(n, sizeof *items);
    if (items == NULL) return false;
    bool ok = true;
    unsigned char *arena = NULL; /* every key, one after another */
    if (collate != SURVKIT_COLLATE_C) {
        /* room for the last key's writing beyond the packed keys before it */
        size_t total = 0;
        for (size_t k = 0; k < n && ok; k++) {
            size_t size;
            ok = key_capacity(strlen(texts[k]), &size) && total <= SIZE_MAX - size;
            if (ok) total += size;
        }
        ok = ok && (arena = malloc(total ? total : 1)) != NULL;
    }
    collator c;
    collator_init(&c);
    size_t used = 0;
    for (size_t k = 0; ok && k < n; k++) {
        items[k].text = texts[k];
        items[k].index = k;
        items[k].key = NULL;
        if (arena == NULL) continue;
        items[k].key = (const char *)arena + used;
        used += write_key(&c, texts[k], arena + used) + 1;
    }
    if (ok) qsort(items, n, sizeof *items, compare_keyed);
    for (size_t k = 0; ok && k < n; k++) order[k] = items[k].index;
    free(arena);
    free(items);
    return ok;
}

int survkit_collate_order(const char *const *texts, size_t n, survkit_collate collate,
                          size_t *order)
{
    if (texts == NULL || order == NULL) return 0;
    return sk_collate_order(texts, n, collate, order) ? 1 : 0;
}

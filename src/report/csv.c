/* csv.c: CSV cells (see csv.h). */
#include "csv.h"
#include "double17.h"

#include <math.h>
#include <string.h>

_Static_assert((int)CSV_NUMBER_MAX >= (int)DOUBLE17_MAX, "room for any number");

void csv_text(FILE *out, const char *s, bool always_quote)
{
    if (!always_quote && strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

size_t csv_number_text(char *buf, double x)
{
    const char *word = isnan(x) ? "NA" : isinf(x) ? (x > 0 ? "Inf" : "-Inf") : NULL;
    if (word == NULL) return double17(buf, x); /* printf's %.17g, about 5x faster */
    const size_t len = strlen(word);
    memcpy(buf, word, len);
    return len;
}

size_t csv_count_text(char *buf, size_t k)
{
    char digits[24]; /* 2^64 has 20 */
    size_t m = 0;
    do digits[m++] = (char)('0' + k % 10), k /= 10;
    while (k > 0);
    for (size_t q = 0; q < m; q++) buf[q] = digits[m - 1 - q];
    return m;
}

size_t csv_quoted_text(char *buf, const char *s)
{
    const size_t len = strlen(s);
    buf[0] = '"';
    memcpy(buf + 1, s, len);
    buf[len + 1] = '"';
    return len + 2;
}

void csv_number(FILE *out, double x)
{
    char text[CSV_NUMBER_MAX];
    fwrite(text, 1, csv_number_text(text, x), out);
}

/* c_locale.c: the "C" locale on the calling thread for parsing and printing numbers (c_locale.h). */
#include "core/c_locale.h"

#include <stdlib.h>

void sk_c_locale_enter(sk_c_locale *s)
{
    /* glibc returns its static "C" locale object here: no allocation, so no failure in practice;
     * should it fail, the thread keeps its locale (the numbers are then the locale's). */
    s->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    s->previous = s->c != (locale_t)0 ? uselocale(s->c) : (locale_t)0;
}

void sk_c_locale_leave(sk_c_locale *s)
{
    if (s->c == (locale_t)0) return;
    uselocale(s->previous);
    freelocale(s->c);
    s->c = (locale_t)0;
}

double sk_strtod_c(const char *text, char **end)
{
    sk_c_locale scope;
    sk_c_locale_enter(&scope);
    double v = strtod(text, end);
    sk_c_locale_leave(&scope);
    return v;
}

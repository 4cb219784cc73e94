/*
 * c_locale.h: numbers read and written the same in every locale. A program that calls
 * setlocale(LC_ALL, "") in a decimal-comma locale (de_DE, fr_FR) makes strtod stop at '.' and
 * printf write ',': a formula's I(age/2.5) would read as I(age/2) and a saved model would not read
 * back. Every number the library parses from text or writes as text goes through these, which use
 * the "C" locale on the calling thread only (uselocale), so other threads and the program's own
 * locale are untouched.
 */
#ifndef SURVKIT_CORE_C_LOCALE_H
#define SURVKIT_CORE_C_LOCALE_H

#include <locale.h>

/* A switch of the calling thread to the "C" locale, undone by sk_c_locale_leave. */
typedef struct sk_c_locale {
    locale_t c;        /* (locale_t)0 when it could not be made: the thread's locale stays */
    locale_t previous;
} sk_c_locale;

void sk_c_locale_enter(sk_c_locale *s);
void sk_c_locale_leave(sk_c_locale *s);

/* strtod in the "C" locale. */
double sk_strtod_c(const char *text, char **end);

#endif /* SURVKIT_CORE_C_LOCALE_H */
